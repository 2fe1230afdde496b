package org.switchboard.registrar;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestCredentials;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.typed.ActorRef;

/** REGISTER requests and digest answers written out as a phone would, for the registrar's security tests. */
final class TestRequests {
    static final Peer PHONE = new Peer("127.0.0.2", 5070);

    private TestRequests() {
    }

    /** A REGISTER for user@example.com to {@code sip:example.com} from {@link #PHONE}, with a fixed Call-ID and CSeq. */
    static HandleRegister register(String user, String callId, long cseq, Optional<String> authorization,
                                   ActorRef<TransportCommand> transport) {
        StringBuilder sb = new StringBuilder()
                .append("REGISTER sip:example.com SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK").append(UUID.randomUUID()).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:").append(user).append("@example.com>;tag=1\r\n")
                .append("To: <sip:").append(user).append("@example.com>\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(" REGISTER\r\n")
                .append("Contact: <sip:").append(user).append("@127.0.0.2:5070>\r\n")
                .append("Expires: 600\r\n");
        authorization.ifPresent(a -> sb.append("Authorization: ").append(a).append("\r\n"));
        sb.append("Content-Length: 0\r\n\r\n");
        return new HandleRegister(new Envelope(sb.toString().getBytes(StandardCharsets.UTF_8), SipTransport.UDP,
                PHONE, new Peer("127.0.0.1", 5060), Optional.empty(), transport));
    }

    /** A qop=auth MD5 answer to the first challenge of a WWW-/Proxy-Authenticate value. */
    static String answer(String challenge, String user, String password, String method, String uri, int nc) {
        return answer(Digest.Algorithm.MD5, challenge, user, password, method, uri, nc);
    }

    /** A qop=auth answer with the given algorithm to a challenge (its realm and nonce). */
    static String answer(Digest.Algorithm alg, String challenge, String user, String password, String method,
                         String uri, int nc) {
        DigestCredentials c = DigestCredentials.parse(challenge);
        String count = String.format("%08x", nc);
        String ha1 = Digest.ha1(alg, user, c.realm(), password);
        String response = Digest.responseWithQop(alg, ha1, c.nonce(), count, "0a4f113b", method, uri);
        return "Digest username=\"" + user + "\", realm=\"" + c.realm() + "\", nonce=\"" + c.nonce()
                + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=" + alg.wireName()
                + ", qop=auth, nc=" + count + ", cnonce=\"0a4f113b\"";
    }

    static SipResponse parse(byte[] bytes) {
        return (SipResponse) ((ParseResult.Parsed) SipParser.parse(bytes)).message();
    }

    /** A challenge with its nonce value blanked, to compare two challenges. */
    static String withoutNonce(String challenge) {
        return challenge.replaceAll("nonce=\"[^\"]*\"", "nonce=\"\"");
    }
}
