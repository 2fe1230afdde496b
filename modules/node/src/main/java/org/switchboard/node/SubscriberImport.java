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
 * unchanged. Bounded concurrency, so a file of a million lines does not flood the journal.
 */
final class SubscriberImport {
    private static final Logger log = LoggerFactory.getLogger(SubscriberImport.class);
    private static final int IN_FLIGHT = 256;

    private SubscriberImport() {
    }

    static void run(ClusterSharding sharding, List<Subscriber> subscribers, Duration timeout) throws StartupException {
        long start = System.nanoTime();
        CompletableFuture<?>[] window = new CompletableFuture<?>[IN_FLIGHT];
        try {
            for (int i = 0; i < subscribers.size(); i++) {
                int slot = i % IN_FLIGHT;
                if (window[slot] != null) {
                    window[slot].get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                window[slot] = provision(sharding, subscribers.get(i), timeout);
            }
            CompletableFuture.allOf(java.util.Arrays.stream(window).filter(java.util.Objects::nonNull)
                    .toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(1, "interrupted while importing subscribers");
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupException(1, "importing subscribers failed: " + e, e);
        }
        log.info("imported {} subscribers in {} ms", subscribers.size(), (System.nanoTime() - start) / 1_000_000);
    }

    private static CompletableFuture<Done> provision(ClusterSharding sharding, Subscriber s, Duration timeout) {
        String md5 = Digest.ha1(Digest.Algorithm.MD5, s.user(), s.domain(), s.password());
        String sha = Digest.ha1(Digest.Algorithm.SHA_256, s.user(), s.domain(), s.password());
        var entity = sharding.entityRefFor(RegistrationEntity.KEY, s.aor());
        return entity.<Done>ask(reply -> new ProvisionAccount(s.user(), s.domain(), md5, sha, reply), timeout)
                .thenCompose(done -> entity.<StatusReply<Done>>ask(
                        reply -> new AccountCommand.SetForwarding(s.forwarding(), reply), timeout))
                .thenApply(StatusReply::getValue)
                .thenCompose(done -> entity.<StatusReply<Done>>ask(
                        reply -> new AccountCommand.SetCallLimits(s.callLimits(), reply), timeout))
                .thenApply(StatusReply::getValue)
                .toCompletableFuture();
    }
}
