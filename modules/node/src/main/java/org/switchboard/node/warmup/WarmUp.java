package org.switchboard.node.warmup;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.IdempotentAsks;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.sip.auth.Digest;
import org.switchboard.transport.SipTransportNode;

import akka.Done;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;

/**
 * A node's first calls, made by itself before it says ready: a JVM that has just started runs its SIP path
 * interpreted and compiles it under the first real load, which then fails (retransmissions, overload 503s). Here
 * throw-away accounts in {@link WarmUpSettings#DOMAIN} (random names and passwords, unlimited calls) register and
 * call themselves through this node's own UDP listener — the edge, the parser, the registrar and proxy entities, the
 * journal, exactly as a phone's traffic goes — until enough calls are done or the time is up. The accounts are
 * deleted afterwards; their calls stay in the journal like any call (two events each).
 */
public final class WarmUp {
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    private static final int REGISTER_EVERY = 10;
    private static final long PAUSE_AFTER_SHED_MS = 50;

    /** What the warm-up did. */
    public record Report(int calls, int registrations, int failed, int shed, Duration took, Duration compiling) {
    }

    private WarmUp() {
    }

    public static Report run(ClusterSharding sharding, SipTransportNode sip, WarmUpSettings settings) {
        long start = System.nanoTime();
        long compiledBefore = compileMillis();
        long deadline = start + settings.maxDuration().toNanos();
        InetSocketAddress listener = reachable(sip.udpAddress());
        String run = hex(4);
        log.info("warm-up: {} calls at most, {} at once, for {} s at most, through {}", settings.calls(),
                settings.lanes(), settings.maxDuration().toSeconds(), listener);
        Counts counts = new Counts();
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < settings.lanes(); i++) {
            accounts.add(new Account("warm-up-" + run + "-" + i, hex(16)));
        }
        try {
            provision(sharding, accounts, settings.answerWait().multipliedBy(4));
            List<WarmUpLane> lanes = openLanes(accounts, listener, settings, sip);
            try {
                List<Thread> threads = new ArrayList<>();
                AtomicInteger started = new AtomicInteger();
                for (WarmUpLane lane : lanes) {
                    Thread t = new Thread(() -> drive(lane, settings.calls(), started, deadline, counts),
                            "warm-up-" + threads.size());
                    t.setDaemon(true);
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + settings.answerWait().toMillis() * 8);
                }
                lanes.forEach(lane -> quietly(() -> lane.register(0)));
            } finally {
                lanes.forEach(lane -> {
                    lane.sockets().forEach(sip::endExemption);
                    lane.close();
                });
            }
        } catch (IOException | RuntimeException e) {
            log.warn("warm-up stopped early: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(sharding, accounts, settings.answerWait().multipliedBy(4));
        }
        Report report = new Report(counts.calls.get(), counts.registrations.get(), counts.failed.get(),
                counts.shed.get(), Duration.ofNanos(System.nanoTime() - start),
                Duration.ofMillis(compileMillis() - compiledBefore));
        log.info("warm-up done: {} calls, {} REGISTERs, {} failed, {} shed (503) in {} ms; JIT compiling {} ms",
                report.calls(), report.registrations(), report.failed(), report.shed(), report.took().toMillis(),
                report.compiling().toMillis());
        return report;
    }

    /** One lane's loop: register, then calls (a refresh every few) until the calls are all started or time is up. */
    private static void drive(WarmUpLane lane, int calls, AtomicInteger started, long deadline, Counts counts) {
        try {
            boolean registered = false;
            for (int i = 0; System.nanoTime() < deadline; i++) {
                if (!registered || i % REGISTER_EVERY == 0) {
                    registered = counts.count(lane.register(300), counts.registrations) || registered;
                    if (!registered) {
                        continue;
                    }
                }
                if (started.getAndIncrement() >= calls) {
                    return;
                }
                counts.count(lane.call(), counts.calls);
            }
        } catch (IOException e) {
            log.debug("warm-up lane for {} stopped: {}", lane.aor(), e.toString());
        }
    }

    private static List<WarmUpLane> openLanes(List<Account> accounts, InetSocketAddress listener,
                                              WarmUpSettings settings, SipTransportNode sip) throws IOException {
        List<WarmUpLane> lanes = new ArrayList<>();
        try {
            for (Account a : accounts) {
                WarmUpLane lane = new WarmUpLane(a.user(), WarmUpSettings.DOMAIN, a.password(), listener,
                        settings.answerWait());
                lanes.add(lane);
                lane.sockets().forEach(sip::exempt);
                Thread answering = new Thread(lane::answerCalls, "warm-up-callee-" + lanes.size());
                answering.setDaemon(true);
                answering.start(); // ends when the lane's sockets are closed
            }
        } catch (IOException e) {
            lanes.forEach(lane -> {
                lane.sockets().forEach(sip::endExemption);
                lane.close();
            });
            throw e;
        }
        return lanes;
    }

    private static void provision(ClusterSharding sharding, List<Account> accounts, Duration timeout) {
        CallLimits unlimited = new CallLimits(Optional.of(0), Optional.of(0));
        long deadline = System.nanoTime() + timeout.multipliedBy(2).toNanos();
        Duration attempt = timeout.dividedBy(4);
        CompletableFuture.allOf(accounts.stream().map(a -> {
            var entity = sharding.entityRefFor(RegistrationEntity.KEY, a.aor());
            String md5 = Digest.ha1(Digest.Algorithm.MD5, a.user(), WarmUpSettings.DOMAIN, a.password());
            String sha = Digest.ha1(Digest.Algorithm.SHA_256, a.user(), WarmUpSettings.DOMAIN, a.password());
            return IdempotentAsks.retried(() -> entity.<Done>ask(reply -> new ProvisionAccount(a.user(),
                            WarmUpSettings.DOMAIN, md5, sha, reply), attempt), deadline)
                    .thenCompose(done -> IdempotentAsks.retried(() -> entity.<StatusReply<Done>>ask(
                            reply -> new AccountCommand.SetCallLimits(unlimited, reply), attempt), deadline))
                    .thenApply(StatusReply::getValue);
        }).toArray(CompletableFuture[]::new)).orTimeout(timeout.toMillis() * 2 + attempt.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    private static void delete(ClusterSharding sharding, List<Account> accounts, Duration timeout) {
        try {
            CompletableFuture.allOf(accounts.stream().map(a -> sharding.entityRefFor(RegistrationEntity.KEY, a.aor())
                    .<StatusReply<Done>>ask(AccountCommand.Delete::new, timeout)
                    .toCompletableFuture()).toArray(CompletableFuture[]::new))
                    .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS).join();
        } catch (RuntimeException e) {
            log.warn("warm-up accounts not all deleted ({}): they are disabled by nobody and hold no binding",
                    e.toString());
        }
    }

    /** The listener's address, or loopback when it listens on every address. */
    private static InetSocketAddress reachable(InetSocketAddress bound) {
        InetAddress host = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
        return new InetSocketAddress(host, bound.getPort());
    }

    private static long compileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void quietly(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            // the binding lapses by itself; the account is deleted next
        }
    }

    private interface IoAction {
        Object run() throws IOException;
    }

    private record Account(String user, String password) {
        String aor() {
            return "sip:" + user + "@" + WarmUpSettings.DOMAIN;
        }

        @Override
        public String toString() {
            return aor(); // never the password
        }
    }

    private static final class Counts {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger registrations = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger shed = new AtomicInteger();

        /** Counts an outcome; true when it was OK. A shed attempt pauses the lane briefly, as Retry-After asks. */
        boolean count(WarmUpLane.Outcome outcome, AtomicInteger ok) {
            switch (outcome) {
                case OK -> ok.incrementAndGet();
                case SHED -> {
                    shed.incrementAndGet();
                    pause();
                }
                case FAILED -> failed.incrementAndGet();
            }
            return outcome == WarmUpLane.Outcome.OK;
        }

        private static void pause() {
            try {
                Thread.sleep(PAUSE_AFTER_SHED_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
