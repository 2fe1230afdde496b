package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.CallFinished;
import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.EntityShard;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.sip.auth.Digest;
import org.switchboard.testkit.TestClock;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.RetentionCriteria;

/**
 * Journal retention of the Registration entity on the node's journal (akka-persistence-jdbc, H2 file): an hour of
 * refreshes, calls, passivations and a crash in simulated time leaves a journal whose Registration rows stay under a
 * bound that does not grow with time, and no acknowledged binding is lost.
 */
class RegistrationRetentionTest {
    private static final Logger log = LoggerFactory.getLogger(RegistrationRetentionTest.class);
    /** Few AORs, each as busy as a phone gets, to stay within the CI's time: what is bounded is per AOR. */
    private static final int AORS = 20;
    private static final Duration CYCLE = Duration.ofSeconds(30);
    private static final int CYCLES = 120;
    private static final int CRASH_AT = 60;
    /**
     * Per AOR, as measured: three snapshots (the two kept and the newest, Akka deletes only those older than the
     * two kept), the 20 events from the older kept one and up to 10 newer ones, the deleted row the journal keeps to
     * remember the highest sequence number, 10 more when a snapshot came while the previous one's deletion was
     * still running (Akka then skips that retention), and a REGISTER's batch (an expired binding removed and a new
     * one saved) crossing a snapshot point.
     */
    private static final int ROWS_PER_AOR = 3 + 20 + 10 + 1 + 10 + 2;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestClock clock = TestClock.manual();
    private final RegistrarSettings settings =
            new RegistrarSettings(3600, 60, 7200, 10, 3_600_000, "retention-secret", clock);
    private TestJournal journal;
    private ActorTestKit kit;
    private int incarnations;

    @BeforeEach
    void start() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "retention"));
        journal = TestJournal.create(Files.createTempDirectory(dir, "journal"));
        kit = newKit();
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void anHourOfRefreshesAndCallsKeepsTheJournalBoundedAndACrashLosesNoAcknowledgedBinding() throws Exception {
        long started = System.nanoTime();
        List<RetentionPhone> phones = new ArrayList<>();
        for (int i = 0; i < AORS; i++) {
            // every 30 s, half refresh a binding of 60 s (every refresh written), half one of 5 minutes (refreshes
            // held in memory until the durable expiry comes near)
            RetentionPhone phone = new RetentionPhone("user" + i, i % 2 == 0 ? 60 : 300, 6000 + 10 * i);
            phones.add(phone);
            attach(phone, RegistrationRetentionTest.create(phone.aor, settings));
            provision(phone);
        }
        ForwardingRules rules = new ForwardingRules(Optional.empty(), Optional.of("sip:vm@example.com"),
                Optional.empty(), 0, Optional.empty());
        TestProbe<StatusReply<Done>> acks = kit.createTestProbe();
        phones.get(1).entity.tell(new AccountCommand.SetForwarding(rules, acks.ref()));
        assertTrue(acks.receiveMessage(WAIT).isSuccess());

        Random random = new Random(16);
        Deque<GoingCall> callsGoing = new ArrayDeque<>();
        long maxRows = 0;
        int calls = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            clock.advance(CYCLE);
            if (cycle == CRASH_AT) {
                crashAndCheckNoAcknowledgedBindingIsLost(phones);
            }
            if (cycle % 20 == 5) {
                phones.stream().filter(p -> p.user.endsWith("0")).forEach(RetentionPhone::movePort);
            }
            refreshAll(phones);
            while (!callsGoing.isEmpty() && callsGoing.peek().endsInCycle() <= cycle) {
                GoingCall call = callsGoing.poll();
                call.caller().entity.tell(new CallFinished(call.callId()));
            }
            for (int c = 0; c < 3; c++) {
                RetentionPhone caller = phones.get(random.nextInt(AORS));
                String callId = "call-" + cycle + "-" + c;
                assertEquals(CredentialsVerdict.Outcome.AUTHORISED, caller.placeCall(kit, callId));
                callsGoing.add(new GoingCall(caller, callId, cycle + 1 + random.nextInt(6)));
                calls++;
            }
            if (cycle % 10 == 4) {
                // sharding passivates idle entities: a third of them each time, some with calls going
                int third = (cycle / 10) % 3;
                for (RetentionPhone p : phones) {
                    if (Math.floorMod(p.user.hashCode(), 3) == third) {
                        passivate(p);
                    }
                }
            }
            TestJournal.Rows rows = journal.events().plus(journal.snapshots());
            maxRows = Math.max(maxRows, rows.rows());
            assertTrue(rows.rows() <= (long) AORS * ROWS_PER_AOR, "cycle " + cycle + ": " + rows.rows() + " rows");
        }
        for (RetentionPhone p : phones) {
            assertTrue(journal.rowsOf(p.aor) <= ROWS_PER_AOR, p.aor + ": " + journal.rowsOf(p.aor) + " rows");
        }
        // the forwarding set before an hour of snapshots and deletions is still there after a restart
        passivate(phones.get(1));
        assertEquals(rules, lookup(phones.get(1)).forwarding());

        long written = journal.eventsWritten();
        TestJournal.Rows events = journal.events();
        TestJournal.Rows snapshots = journal.snapshots();
        int registers = phones.stream().mapToInt(p -> p.registers).sum();
        // the phones whose every refresh is written wrote far more events than their journal holds
        for (RetentionPhone p : phones.stream().filter(p -> p.expires == 60).toList()) {
            long byThisAor = journal.eventsWrittenBy(p.aor);
            assertTrue(byThisAor >= 2 * ROWS_PER_AOR, p.aor + " wrote only " + byThisAor + " events");
        }
        log.info("retention: {} AORs, {} REGISTERs answered 200 and {} calls in {} simulated minutes: {} events written; "
                        + "the journal holds {} event rows ({} payload bytes) and {} snapshot rows ({} bytes), at most {} rows"
                        + " at a cycle's end; {} s of test time, {} s of CPU in this JVM so far",
                AORS, registers, calls, CYCLE.multipliedBy(CYCLES).toMinutes(), written, events.rows(), events.bytes(), snapshots.rows(),
                snapshots.bytes(), maxRows, Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                Duration.ofNanos(((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()).toSeconds());
    }

    /**
     * A journal written before retention (a snapshot every 100 events, none deleted) recovers exactly under the new
     * rule, and its old events and snapshots are deleted at the new rule's next snapshot.
     */
    @Test
    void aJournalWrittenBeforeRetentionRecoversExactlyAndIsThenTrimmed() throws Exception {
        RetentionPhone phone = new RetentionPhone("legacy", 60, 7000);
        RetentionCriteria before = RetentionCriteria.snapshotEvery(100, 2);
        attach(phone, Registration.create(phone.aor, settings,
                new RegisterHandler(settings, new Nonces(settings.clusterSecret(), settings.nonceLifetimeMillis())), before, EntityShard.NONE));
        provision(phone);
        for (int i = 0; i < 150; i++) {
            clock.advance(Duration.ofSeconds(45));
            if (i % 2 == 0) {
                phone.movePort(); // a new binding each time, the one before it expiring: 2 events a REGISTER
            }
            refreshAll(List.of(phone));
        }
        long oldRows = journal.rowsOf(phone.aor);
        assertTrue(oldRows > 150, oldRows + " rows");
        LookupResult all = listBindings(phone);

        kit.shutdownTestKit(); // as a node stops, old version
        kit = newKit();
        attach(phone, RegistrationRetentionTest.create(phone.aor, settings));
        assertEquals(all, listBindings(phone), "recovered from the old snapshot and the events after it");
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(45));
            phone.movePort();
            refreshAll(List.of(phone));
        }
        // deletion follows the snapshot asynchronously
        kit.createTestProbe().awaitAssert(WAIT, () -> {
            long rows = rowsOf(phone.aor);
            assertTrue(rows <= ROWS_PER_AOR, rows + " rows of " + oldRows + " left");
            return rows;
        });
        LookupResult now = listBindings(phone);
        passivate(phone);
        assertEquals(now, listBindings(phone), "recovered from the new snapshots");
    }

    // ---------------------------------------------------------------- helpers

    private record GoingCall(RetentionPhone caller, String callId, int endsInCycle) {
    }

    private static akka.actor.typed.Behavior<RegistrationCommand> create(String aor, RegistrarSettings settings) {
        return Registration.create(aor, settings);
    }

    private ActorTestKit newKit() {
        return ActorTestKit.create("retention" + (++incarnations), journal.config());
    }

    private void attach(RetentionPhone phone, akka.actor.typed.Behavior<RegistrationCommand> behavior) {
        phone.attach(kit, kit.spawn(behavior));
    }

    private void provision(RetentionPhone phone) {
        TestProbe<Done> done = kit.createTestProbe();
        phone.entity.tell(new ProvisionAccount(phone.user, "example.com",
                Digest.ha1(Digest.Algorithm.MD5, phone.user, "example.com", RetentionPhone.PASSWORD),
                Digest.ha1(Digest.Algorithm.SHA_256, phone.user, "example.com", RetentionPhone.PASSWORD), done.ref()));
        done.receiveMessage(WAIT);
    }

    /** Every phone refreshes at once; those challenged (a new incarnation's nonce) answer and send again. */
    private void refreshAll(List<RetentionPhone> phones) {
        phones.forEach(RetentionPhone::sendRegister);
        List<RetentionPhone> challenged = phones.stream().filter(p -> !p.readAnswer(clock.millis())).toList();
        challenged.forEach(RetentionPhone::sendRegister);
        challenged.forEach(p -> assertTrue(p.readAnswer(clock.millis()), p.aor + " challenged twice"));
    }

    private void passivate(RetentionPhone phone) {
        TestProbe<Object> watcher = kit.createTestProbe();
        phone.entity.tell(new Registration.Passivate());
        watcher.expectTerminated(phone.entity, WAIT);
        attach(phone, create(phone.aor, settings));
    }

    /**
     * The node dies between two refreshes (no passivation, nothing written on the way down) and its entities start
     * again from the journal just when the phones are due back: every phone's acknowledged contact is still bound.
     */
    private void crashAndCheckNoAcknowledgedBindingIsLost(List<RetentionPhone> phones) {
        kit.shutdownTestKit();
        kit = newKit();
        long now = clock.millis();
        for (RetentionPhone p : phones) {
            attach(p, create(p.aor, settings));
            LookupResult found = lookup(p);
            assertEquals(LookupResult.Status.REGISTERED, found.status(), p.aor);
            var binding = found.bindings().stream().filter(b -> b.contact().equals(p.acknowledgedContact)).findFirst()
                    .orElseThrow(() -> new AssertionError(p.aor + " lost " + p.acknowledgedContact + ": " + found));
            assertTrue(binding.expiresAtMillis() >= now + RegisterHandler.REFRESH_MARGIN_MILLIS,
                    p.aor + " would lapse before the phone is back");
            assertTrue(binding.expiresAtMillis() <= p.acknowledgedUntil, p.aor + " outlives its last 200 OK");
        }
    }

    private long rowsOf(String aor) {
        try {
            return journal.rowsOf(aor);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private LookupResult lookup(RetentionPhone phone) {
        TestProbe<LookupResult> results = kit.createTestProbe();
        phone.entity.tell(new Lookup(results.ref()));
        return results.receiveMessage(WAIT);
    }

    private LookupResult listBindings(RetentionPhone phone) {
        TestProbe<LookupResult> results = kit.createTestProbe();
        phone.entity.tell(new AccountCommand.ListBindings(results.ref()));
        return results.receiveMessage(WAIT);
    }
}
