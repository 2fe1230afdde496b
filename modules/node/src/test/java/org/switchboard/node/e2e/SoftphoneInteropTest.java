package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Debian's baresip 1.0, a real softphone, against a node with the default digest settings: two phones register
 * (answering the 401), call each other through the node (the caller answering the 407), talk with the codec both
 * offered, and hang up, over UDP and over TCP. The phones run on 127.0.0.2 and 127.0.0.3 and the node trusts no
 * address: every REGISTER and INVITE is challenged, and the phones' traces show the challenges answered.
 *
 * <p>What decided the default ({@code digest-algorithms = [MD5]}): baresip 1.0 gives up on a 401 or 407 that
 * offers an MD5 and a SHA-256 challenge, in either order ({@link #aDomainThatAlsoOffersSha256IsOutOfReachOfBaresipWhateverTheOrder}).
 */
class SoftphoneInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** What both phones offer (BaresipPhone's default codec modules: opus, then G.711). */
    private static final Set<String> OFFERED = Set.of("opus/48000/2", "PCMU/8000/1", "PCMA/8000/1");
    @RegisterExtension
    static final SingleNode node = SingleNode.untrusting("softphones", List.of("alice@sip.test,alicepw",
            "bob@sip.test,bobpw", "carol@sip.test,carolpw", "dave@sip.test,davepw"), List.of());

    @Test
    void twoBaresipPhonesRegisterAndCallEachOtherOverUdp() {
        talk("udp", "alice", "bob", true);
    }

    /** The callee answers by hand here (baresip's {@code accept}), after its phone reported the incoming call. */
    @Test
    void twoBaresipPhonesRegisterAndCallEachOtherOverTcp() {
        talk("tcp", "carol", "dave", false);
    }

    /**
     * Domains opted in to SHA-256 with MD5 still offered, SHA-256 first ({@code [SHA-256, MD5]}) or second
     * ({@code [MD5, SHA-256]}, the default of earlier versions): baresip 1.0 registers in neither. Its SIP stack
     * (libre's sip/auth.c) reads every challenge of the 401 and fails the whole request with ENOSYS ("Function
     * not implemented") as soon as one names an algorithm other than MD5, whatever its position, and never sends
     * an Authorization. Hence MD5 alone by default, and SHA-256 only per domain, for phones known to answer it.
     */
    @Test
    void aDomainThatAlsoOffersSha256IsOutOfReachOfBaresipWhateverTheOrder() {
        TestNode secure = TestNode.untrusting("softphones-sha256", List.of("erin@first.test,erinpw",
                "frank@second.test,frankpw"), List.of("switchboard.registrar.digest-algorithms-by-domain {",
                "  \"first.test\" = [SHA-256, MD5]", "  \"second.test\" = [MD5, SHA-256]", "}"));
        try (BaresipPhone erin = phone(secure, "erin", "first.test", "127.0.0.2", "udp");
             BaresipPhone frank = phone(secure, "frank", "second.test", "127.0.0.3", "udp")) {
            for (BaresipPhone p : List.of(erin, frank)) {
                Await.until(p.setup().user() + "'s registration to fail", WAIT,
                        () -> p.registrationFailure().isPresent(), p::diagnosis);
                String out = p.output();
                assertTrue(out.contains("SIP/2.0 401 Unauthorized") && out.contains("algorithm=SHA-256")
                        && out.contains("algorithm=MD5"), "both challenges offered\n" + p.diagnosis());
                assertTrue(!out.contains("Authorization: Digest"), "baresip answered no challenge\n" + p.diagnosis());
                assertEquals("Function not implemented", p.registrationFailure().get().strip(), p.diagnosis());
                assertTrue(p.events().stream().noneMatch(e -> e.path("type").asText().equals("REGISTER_OK")));
            }
            int sha256First = erin.output().indexOf("algorithm=SHA-256");
            assertTrue(sha256First >= 0 && sha256First < erin.output().indexOf("algorithm=MD5"), erin.diagnosis());
        } finally {
            secure.process().close();
        }
    }

    private static void talk(String transport, String caller, String callee, boolean autoAnswer) {
        try (BaresipPhone a = phone(node.testNode(), caller, "sip.test", "127.0.0.2", transport);
             BaresipPhone b = BaresipPhone.start(node.work().resolve("baresip-" + callee + "-" + transport),
                     setup(node.testNode(), callee, "sip.test", "127.0.0.3", transport)
                             .accountParam("answermode", autoAnswer ? "auto" : "manual"))) {
            a.awaitRegistered(WAIT);
            b.awaitRegistered(WAIT);

            a.dial("sip:" + callee + "@sip.test");
            if (!autoAnswer) {
                b.accept(WAIT);
            }
            JsonNode outgoing = a.awaitEstablished(WAIT);
            JsonNode incoming = b.awaitEstablished(WAIT);
            assertEquals("outgoing", outgoing.path("direction").asText());
            assertEquals("incoming", incoming.path("direction").asText());
            assertEquals("sip:" + caller + "@sip.test", incoming.path("peeruri").asText(), "the callee sees the caller");
            String codec = a.audioCodec().orElseThrow(() -> new AssertionError("no codec\n" + a.diagnosis()));
            assertEquals(codec, b.audioCodec().orElseThrow(() -> new AssertionError("no codec\n" + b.diagnosis())),
                    "both sides send the same codec");
            assertTrue(OFFERED.contains(codec), codec);

            a.hangup();
            a.awaitClosed(WAIT);
            JsonNode closed = b.awaitClosed(WAIT);
            assertTrue(closed.path("param").asText().contains("Connection reset by peer"),
                    "the callee was hung up on by a BYE: " + closed);
            // the node relays the callee's 200 to the BYE only once its Call has persisted CallEnded
            Await.until("the node's 200 to " + caller + "'s BYE", WAIT,
                    () -> Pattern.compile("SIP/2\\.0 200 OK\\r?\\n(?:[^\\r\\n]+\\r?\\n)*?CSeq: \\d+ BYE")
                            .matcher(a.output()).find(), a::diagnosis);

            authenticated(a, transport, "127.0.0.2", true);
            authenticated(b, transport, "127.0.0.3", false);
        }
    }

    /** The phone sent from its own address, was challenged, and answered with its credentials (MD5). */
    private static void authenticated(BaresipPhone phone, String transport, String from, boolean called) {
        String out = phone.output();
        // the trace names each message's real addresses: "UDP 127.0.0.2:40001 -> 127.0.0.1:5060"; over TCP the
        // connection leaves from 127.0.0.1 (see TestNode.untrusting), the phone's Via names its own address
        String source = transport.equals("udp") ? Pattern.quote(from) : "127\\.0\\.0\\.1";
        assertTrue(Pattern.compile("(?m)^" + transport.toUpperCase() + " " + source + ":\\d+ -> "
                + Pattern.quote(node.address()) + "\\s").matcher(out).find()
                && out.contains("Via: SIP/2.0/" + transport.toUpperCase() + " " + from + ":"),
                "sent from " + from + " over " + transport + "\n" + phone.diagnosis());
        assertTrue(out.contains("SIP/2.0 401 Unauthorized") && out.contains("Authorization: Digest username=\""
                + phone.setup().user() + "\""), "REGISTER challenged and answered\n" + phone.diagnosis());
        assertTrue(out.contains("algorithm=MD5") && !out.contains("algorithm=SHA-256"),
                "the default offers MD5 alone\n" + phone.diagnosis());
        if (called) {
            assertTrue(out.contains("SIP/2.0 407 Proxy Authentication Required")
                    && out.contains("Proxy-Authorization: Digest"), "INVITE challenged and answered\n" + phone.diagnosis());
        }
    }

    private static BaresipPhone phone(TestNode at, String user, String domain, String address, String transport) {
        return BaresipPhone.start(at.work().resolve("baresip-" + user + "-" + transport),
                setup(at, user, domain, address, transport));
    }

    private static BaresipPhone.Setup setup(TestNode at, String user, String domain, String address, String transport) {
        return BaresipPhone.Setup.of(user, domain, user + "pw", address, at.address()).transport(transport);
    }
}
