package org.switchboard.transport.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import akka.actor.typed.ActorRef;

/**
 * How an entity sends: {@link #send} writes at once, from the entity's own thread, when the send path named is
 * this JVM's (the node that received the message also holds its entity: a single node, or a core node that is a
 * transport node too); any other send path is told, as before, and writes on its own node.
 *
 * <p>Why: a {@link Send} told to the local send-path actor costs a thread hand-off (the actor's mailbox scheduled
 * on the dispatcher) for every message a call sends — seven per call at least — and profiles showed hand-offs, not
 * the writes, as the larger cost. The writer registered here is the send-path actor's own handling of a
 * {@code Send}, which is safe from many threads at once (see SipTransportNode). What one entity sends stays in
 * order: it is written in the order the entity sends it.
 *
 * <p>The registry is keyed by the send path's {@link ActorRef}, which is unique to its actor system (address, path
 * and uid), so several nodes in one JVM (tests) each find only their own.
 */
public final class SendPaths {
    private static final Logger log = LoggerFactory.getLogger(SendPaths.class);
    private static final Map<ActorRef<TransportCommand>, Consumer<Send>> LOCAL = new ConcurrentHashMap<>();

    private SendPaths() {
    }

    /** {@code writer} handles what is sent to {@code sendPath} from this JVM, until {@link #remove}. */
    public static void register(ActorRef<TransportCommand> sendPath, Consumer<Send> writer) {
        LOCAL.put(sendPath, writer);
    }

    public static void remove(ActorRef<TransportCommand> sendPath) {
        LOCAL.remove(sendPath);
    }

    /** Sends {@code send} through {@code sendPath}: written here when it is this JVM's, else told to it. */
    public static void send(ActorRef<TransportCommand> sendPath, Send send) {
        Consumer<Send> local = LOCAL.get(sendPath);
        if (local == null) {
            sendPath.tell(send);
            return;
        }
        try {
            local.accept(send);
        } catch (RuntimeException e) {
            // the caller is an entity: a failed write must not fail it, as a failed tell would not have
            log.warn("send to {} failed: {}", send.destination(), e.toString());
        }
    }
}
