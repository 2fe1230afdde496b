package org.switchboard.registrar;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.testkit.Envelopes;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.typed.ActorRef;

/** REGISTER requests written out as a phone would, for the registrar's tests. */
final class TestRequests {
    static final Peer PHONE = new Peer("127.0.0.2", 5070);

    private TestRequests() {
    }

    /**
     * A REGISTER for user@example.com to {@code sip:example.com} from {@link #PHONE}, with a fixed Call-ID and CSeq,
     * binding the phone's address for 600 s.
     */
    static HandleRegister register(String user, String callId, long cseq, Optional<String> authorization,
                                   ActorRef<TransportCommand> transport) {
        return register(PHONE, user, callId, cseq, Optional.of("<sip:" + user + "@" + PHONE + ">"), Optional.of(600),
                authorization, List.of(), transport);
    }

    /**
     * A REGISTER from {@code phone}, with a fresh branch; {@code extra} are whole header lines, or bare Path values.
     */
    static HandleRegister register(Peer phone, String user, String callId, long cseq, Optional<String> contact,
                                   Optional<Integer> expires, Optional<String> authorization, List<String> extra,
                                   ActorRef<TransportCommand> transport) {
        StringBuilder headers = new StringBuilder();
        contact.ifPresent(c -> headers.append("Contact: ").append(c).append('\n'));
        expires.ifPresent(e -> headers.append("Expires: ").append(e).append('\n'));
        authorization.ifPresent(a -> headers.append("Authorization: ").append(a).append('\n'));
        extra.forEach(p -> headers.append(p.contains(": ") ? p : "Path: " + p).append('\n'));
        String text = """
                REGISTER sip:example.com SIP/2.0
                Via: SIP/2.0/UDP %s;branch=z9hG4bK%s
                Max-Forwards: 70
                From: <sip:%s@example.com>;tag=1
                To: <sip:%s@example.com>
                Call-ID: %s
                CSeq: %d REGISTER
                %sContent-Length: 0
                """.formatted(phone, UUID.randomUUID(), user, user, callId, cseq, headers);
        return new HandleRegister(Envelopes.udp(text, phone, transport));
    }
}
