package org.switchboard.transport.hep;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One SIP message as HEP describes it: its bytes, the IP protocol it travelled on, where it came from and went to,
 * when, and its Call-ID (HEP's correlation id) when it has one.
 *
 * @param payload      the SIP message exactly as it was on the wire (decrypted for TLS, unframed for WebSocket)
 * @param protocol     the IP protocol under the SIP transport
 * @param source       the sender's address: this node's for a message it sent
 * @param destination  the receiver's address: this node's for a message it received
 * @param epochMicros  when the node saw it, in microseconds since 1970-01-01T00:00Z
 * @param callId       its Call-ID, written as the correlation id chunk so that Homer groups a call's messages
 */
public record HepMessage(byte[] payload, IpProtocol protocol, InetSocketAddress source, InetSocketAddress destination,
                         long epochMicros, Optional<String> callId) {

    /** HEP chunk 0x0002 holds the IANA protocol number of the IP packet's payload. */
    public enum IpProtocol {
        TCP(6), UDP(17);

        final int number;

        IpProtocol(int number) {
            this.number = number;
        }
    }

    public HepMessage {
        // a HEP address chunk holds the address itself: a name would have to be looked up, on the hot path
        if (source.isUnresolved() || destination.isUnresolved()) {
            throw new IllegalArgumentException("HEP needs IP addresses, not names: " + source + " -> " + destination);
        }
    }
}
