package org.switchboard.transport.api;

import java.util.Optional;

import akka.actor.typed.ActorRef;

/**
 * What a transport node hands to an entity: the raw bytes of one SIP message (already Via-fixed), where they came
 * from, and who can send the answer. SIP's own encoding is the canonical form on the wire between nodes.
 *
 * @param flow    the connection the message came on, for stream transports: replies should go back on it
 * @param replyTo the send path of the transport node that received the message
 */
public record Envelope(byte[] bytes, SipTransport transport, Peer remote, Peer local, Optional<String> flow,
                       ActorRef<TransportCommand> replyTo) implements ClusterSerializable {

    /** Where to send something back to the sender of this message: same transport, same flow, its address. */
    public Destination backToSender() {
        return new Destination(transport, remote, flow);
    }
}
