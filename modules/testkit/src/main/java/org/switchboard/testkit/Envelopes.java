package org.switchboard.testkit;

import java.util.Optional;

import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.typed.ActorRef;

/** Messages as a transport node hands them to an entity: the bytes, who sent them, and the send path back. */
public final class Envelopes {
    /** The address the transport node listens on in entity tests: Via, Record-Route and Route name it. */
    public static final Peer PROXY = new Peer("127.0.0.1", 5060);

    private Envelopes() {
    }

    /** A datagram from {@code from} to {@link #PROXY}, answered through {@code transport}. */
    public static Envelope udp(byte[] bytes, Peer from, ActorRef<TransportCommand> transport) {
        return new Envelope(bytes, SipTransport.UDP, from, PROXY, Optional.empty(), transport);
    }

    /** A datagram written as text ({@link SipText#wire}). */
    public static Envelope udp(String text, Peer from, ActorRef<TransportCommand> transport) {
        return udp(SipText.wire(text), from, transport);
    }
}
