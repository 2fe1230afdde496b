package org.switchboard.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.sip.auth.Digest;

import akka.Done;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;

/**
 * Provisions every subscriber of the file. Idempotent: the entity persists nothing when the credentials are
 * unchanged. Bounded concurrency, so a file of a million lines does not flood the journal. Each command is asked
 * again when it gets no answer within a few seconds, until the import's deadline: while nodes join, sharding hands
 * shards over and drops the messages it buffered for them, so a single ask could wait in vain.
 */
final class SubscriberImport {
    private static final Logger log = LoggerFactory.getLogger(SubscriberImport.class);
    private static final int IN_FLIGHT = 256;
    private static final Duration ATTEMPT = Duration.ofSeconds(5);

    private SubscriberImport() {
    }

    static void run(ClusterSharding sharding, List<Subscriber> subscribers, Duration timeout) throws StartupException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long wait = timeout.plus(ATTEMPT).toMillis();
        CompletableFuture<?>[] window = new CompletableFuture<?>[IN_FLIGHT];
        try {
            for (int i = 0; i < subscribers.size(); i++) {
                int slot = i % IN_FLIGHT;
                if (window[slot] != null) {
                    window[slot].get(wait, TimeUnit.MILLISECONDS);
                }
                window[slot] = provision(sharding, subscribers.get(i), deadline);
            }
            CompletableFuture.allOf(java.util.Arrays.stream(window).filter(java.util.Objects::nonNull)
                    .toArray(CompletableFuture[]::new)).get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(1, "interrupted while importing subscribers");
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupException(1, "importing subscribers failed: " + e, e);
        }
        log.info("imported {} subscribers in {} ms", subscribers.size(), (System.nanoTime() - start) / 1_000_000);
    }

    private static CompletableFuture<Done> provision(ClusterSharding sharding, Subscriber s, long deadline) {
        String md5 = Digest.ha1(Digest.Algorithm.MD5, s.user(), s.domain(), s.password());
        String sha = Digest.ha1(Digest.Algorithm.SHA_256, s.user(), s.domain(), s.password());
        var entity = sharding.entityRefFor(RegistrationEntity.KEY, s.aor());
        return IdempotentAsks.retried(() -> entity.<Done>ask(reply -> new ProvisionAccount(s.user(), s.domain(), md5, sha, reply), ATTEMPT),
                deadline)
                .thenCompose(done -> IdempotentAsks.retried(() -> entity.<StatusReply<Done>>ask(
                        reply -> new AccountCommand.SetForwarding(s.forwarding(), reply), ATTEMPT), deadline))
                .thenApply(StatusReply::getValue)
                .thenCompose(done -> IdempotentAsks.retried(() -> entity.<StatusReply<Done>>ask(
                        reply -> new AccountCommand.SetCallLimits(s.callLimits(), reply), ATTEMPT), deadline))
                .thenApply(StatusReply::getValue);
    }
}
