package org.switchboard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;

/**
 * A transport node's send path as a test probe: what an entity asked to be sent, read in order. {@link #sentSoFar}
 * reads everything sent before a point without sampling a window of real time.
 */
public final class TransportProbe {
    /** How long a message the test waits for may take to arrive: a deadline for a failure, never a measure. */
    public static final Duration DEADLINE = Duration.ofSeconds(3);

    /** Put on the probe by the test itself: whatever the probe received before it was sent before it. */
    private record Mark(long id) implements TransportCommand {
    }

    private static final AtomicLong MARKS = new AtomicLong();
    private final TestProbe<TransportCommand> probe;

    public TransportProbe(ActorSystem<?> system) {
        this.probe = TestProbe.create(system);
    }

    /** Where an entity sends: the {@code replyTo} of the envelopes it handles. */
    public ActorRef<TransportCommand> ref() {
        return probe.ref();
    }

    /** The underlying probe, for the commands other than {@link Send}. */
    public TestProbe<TransportCommand> probe() {
        return probe;
    }

    /** The next command; fails the test if none comes by the {@link #DEADLINE}. */
    public TransportCommand next() {
        TransportCommand next = probe.receiveMessage(DEADLINE);
        if (next instanceof Mark) {
            throw new AssertionError("nothing more was sent before the test's mark");
        }
        return next;
    }

    /** The next command, which must be a {@link Send}. */
    public Send nextSend() {
        TransportCommand next = next();
        if (next instanceof Send send) {
            return send;
        }
        throw new AssertionError("not a Send: " + next);
    }

    /** The next {@link Send}, which must go to {@code port}. */
    public Send nextSend(int port) {
        Send send = nextSend();
        if (send.destination().peer().port() != port) {
            throw new AssertionError("sent to " + send.destination() + ", not port " + port + ": "
                    + SipText.text(send.bytes()));
        }
        return send;
    }

    /**
     * Every command the probe received before this call, and nothing else. Call it once whoever sends has told
     * everything it is going to (an entity that answered a barrier such as {@code getState()}): messages from one
     * sender to one receiver keep their order, so all it told arrives before the mark this call puts on the probe.
     */
    public List<TransportCommand> sentSoFar() {
        Mark mark = new Mark(MARKS.incrementAndGet());
        probe.ref().tell(mark);
        List<TransportCommand> out = new ArrayList<>();
        while (true) {
            TransportCommand next = probe.receiveMessage(DEADLINE);
            if (next.equals(mark)) {
                return out;
            }
            if (!(next instanceof Mark)) {
                out.add(next);
            }
        }
    }

    /** Fails the test if anything was received before this call ({@link #sentSoFar}). */
    public void expectNothingSent() {
        List<TransportCommand> sent = sentSoFar();
        if (!sent.isEmpty()) {
            throw new AssertionError("expected nothing sent, got " + describe(sent));
        }
    }

    private static String describe(List<TransportCommand> sent) {
        return sent.stream().map(c -> c instanceof Send s ? s.destination().peer() + " " + SipText.text(s.bytes())
                .lines().findFirst().orElse("") : c.toString()).toList().toString();
    }
}
