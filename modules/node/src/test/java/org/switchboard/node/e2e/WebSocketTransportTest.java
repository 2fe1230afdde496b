package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;

/**
 * SIP over WebSocket (RFC 7118) with the JDK's WebSocket client playing a browser: the handshake needs the sip
 * subprotocol, a REGISTER is challenged and accepted, a client whose Contact names an {@code .invalid} host is called
 * from a UDP phone over its connection, and a frame that is no SIP is dropped without harm.
 */
class WebSocketTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE = Duration.ofSeconds(4);
    private static final int WS_PORT = FreePorts.udpAndTcp();
    private static final URI ws = URI.create("ws://127.0.0.1:" + WS_PORT + "/");

    @RegisterExtension
    static final SingleNode node = SingleNode.of("websocket", List.of("alice@sip.test,pw", "bob@sip.test,pw",
                    "carol@sip.test,pw"),
            List.of("switchboard.sip.ws.port = " + WS_PORT, "switchboard.proxy.authenticate-callers = off",
                    "switchboard.security.tcp.message-timeout = " + MESSAGE_TIMEOUT.toMillis() + "ms",
                    "switchboard.security.tcp.idle-timeout = " + IDLE.toSeconds() + "s"));

    @Test
    void aHandshakeWithoutTheSipSubprotocolIsRefused() {
        for (String[] offered : List.of(new String[0], new String[]{"chat"})) {
            CompletionException e = assertThrows(CompletionException.class, () -> WsSipClient.connect(ws, offered).close(),
                    "a handshake offering " + List.of(offered) + " must be refused");
            WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertEquals(400, refused.getResponse().statusCode());
        }
        try (WsSipClient sip = WsSipClient.connect(ws, "chat", "sip")) {
            assertEquals("sip", sip.subprotocol(), "the node chooses sip among those offered");
        }
    }

    @Test
    void aRegisterOverWebSocketIsChallengedThenAccepted() {
        try (WsSipClient alice = WsSipClient.connect(ws, "sip")) {
            SipResponse ok = register(alice, "alice", "a1b2c3.invalid");
            assertEquals(200, ok.status(), new String(ok.bytes(), StandardCharsets.UTF_8));
            assertTrue(ok.header("contact").orElse("").contains("a1b2c3.invalid;transport=ws"),
                    "the binding: " + ok.header("contact"));
        }
    }

    @Test
    void aUdpPhoneCallsAWebSocketClientOverItsConnection() {
        try (WsSipClient carol = WsSipClient.connect(ws, "sip"); DialogPhone bob = new DialogPhone("bob", node.address())) {
            assertEquals(200, register(carol, "carol", "k9x7.invalid").status());
            DialogPhone.Sent invite = bob.invite("sip:carol@sip.test", List.of(), sdp());
            SipRequest offered = (SipRequest) carol.await("INVITE", WAIT, m -> m instanceof SipRequest r && r.method().equals("INVITE"));
            assertTrue(offered.requestUriText().contains("k9x7.invalid"), offered.requestUriText());
            assertTrue(offered.topVia().toString().startsWith("SIP/2.0/WS "), "our Via toward a WS client: " + offered.topVia());
            List<String> recordRoutes = offered.headers("record-route");
            assertEquals(2, recordRoutes.size(), "double Record-Route between UDP and WS: " + recordRoutes);
            assertTrue(recordRoutes.get(0).contains("transport=ws"), "the callee's side names WS: " + recordRoutes);
            assertFalse(recordRoutes.get(1).contains("transport=ws"), "the caller's side does not: " + recordRoutes);

            carol.send(answer(offered, 200, "OK", "<sip:carol@k9x7.invalid;transport=ws>", sdp()));
            SipResponse ok = bob.await(invite);
            assertEquals(200, ok.status(), new String(ok.bytes(), StandardCharsets.UTF_8));
            carol.await("ACK", WAIT, m -> m instanceof SipRequest r && r.method().equals("ACK"));

            // the callee's target names an .invalid host: the BYE must take the dialog's WebSocket connection
            DialogPhone.Sent bye = bob.request(invite.callId(), "BYE", List.of(), null, null);
            SipRequest byeIn = (SipRequest) carol.await("BYE", WAIT, m -> m instanceof SipRequest r && r.method().equals("BYE"));
            carol.send(answer(byeIn, 200, "OK", "", ""));
            assertEquals(200, bob.await(bye).status());
        }
    }

    @Test
    void aFrameThatIsNoSipIsDroppedAndTheConnectionGoesOn() {
        try (WsSipClient client = WsSipClient.connect(ws, "sip")) {
            client.send("GET / HTTP/1.1\r\nthis is not SIP\r\n\r\n");
            client.send("\u0000\u0001garbage\u00ff");
            // a request broken beyond parsing but with enough to answer: 400 naming the fault (the edge's rule)
            client.send("OPTIONS sip:sip.test SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK" + id()
                    + "\r\nFrom: <sip:x@sip.test>;tag=1\r\nTo: <sip:sip.test>\r\nCall-ID: " + id()
                    + "\r\nCSeq: nonsense\r\nContent-Length: 0\r\n\r\n");
            String bad = client.awaitText("a 400", WAIT, text -> text.startsWith("SIP/2.0 400 "));
            assertTrue(bad.contains("CSeq: nonsense"), bad);
            assertTrue(client.nothing(Duration.ofMillis(500), text -> true), "the garbage frames got no answer");
            SipResponse ok = options(client);
            assertEquals(200, ok.status(), "the same connection still serves SIP");
            assertFalse(client.isClosed());
        }
        try (WsSipClient another = WsSipClient.connect(ws, "sip")) {
            assertEquals(200, options(another).status(), "and the node serves new connections");
        }
    }

    @Test
    void aHandshakeLeftUnfinishedIsClosedAfterTheMessageTimeout() throws IOException {
        try (Socket drip = new Socket()) {
            drip.bind(new InetSocketAddress("127.0.0.6", 0)); // not the tests' trusted 127.0.0.1
            drip.connect(new InetSocketAddress("127.0.0.1", ws.getPort()), 5000);
            drip.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: web".getBytes(StandardCharsets.US_ASCII));
            drip.setSoTimeout((int) WAIT.toMillis());
            long start = System.nanoTime();
            int read;
            try {
                read = drip.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            long after = System.nanoTime() - start;
            assertEquals(-1, read, "the node closed the connection without an answer");
            assertTrue(after > MESSAGE_TIMEOUT.toNanos() / 2 && after < MESSAGE_TIMEOUT.toNanos() + 3_000_000_000L,
                    "closed after " + after / 1e9 + " s, message timeout " + MESSAGE_TIMEOUT.toSeconds() + " s");
        }
    }

    @Test
    void aClientAnsweringThePingsStaysConnectedWhileOneThatDoesNotIsClosedAsIdle() throws IOException {
        try (WsSipClient live = WsSipClient.connect(ws, "sip"); Socket silent = new Socket()) {
            silent.bind(new InetSocketAddress("127.0.0.7", 0));
            silent.connect(new InetSocketAddress("127.0.0.1", ws.getPort()), 5000);
            silent.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            silent.setSoTimeout((int) IDLE.multipliedBy(2).toMillis());
            long start = System.nanoTime();
            StringBuilder seen = new StringBuilder();
            try {
                for (int b; (b = silent.getInputStream().read()) >= 0; ) { // the upgrade, then pings it never answers
                    seen.append((char) b);
                }
            } catch (SocketException reset) {
                // closed as well
            }
            long after = System.nanoTime() - start;
            assertTrue(seen.toString().startsWith("HTTP/1.1 101 "), seen.toString());
            assertTrue(seen.indexOf("\u0089\u0000") > 0, "pinged: " + seen);
            assertTrue(after > IDLE.minusMillis(500).toNanos() && after < IDLE.plusSeconds(3).toNanos(),
                    "closed after " + after / 1e9 + " s, idle timeout " + IDLE.toSeconds() + " s");
            assertFalse(live.isClosed(), "the client answering pings (the JDK's does, as browsers do) is still connected");
            assertEquals(200, options(live).status());
        }
    }

    // ------------------------------------------------------------------ a browser's messages, written out

    static SipResponse register(WsSipClient client, String user, String invalidHost) {
        String callId = id();
        String first = registerText(user, invalidHost, callId, 1, "");
        client.send(first);
        SipResponse challenge = (SipResponse) client.await("401", WAIT, m -> m instanceof SipResponse r && r.callId().equals(callId));
        assertEquals(401, challenge.status(), new String(challenge.bytes(), StandardCharsets.UTF_8));
        client.send(registerText(user, invalidHost, callId, 2, "Authorization: " + DigestAnswers.answer(
                challenge.header("www-authenticate").orElseThrow(), user, "pw", "REGISTER", "sip:" + TestFiles.DOMAIN, 1)
                + "\r\n"));
        return (SipResponse) client.await("final response to the REGISTER", WAIT,
                m -> m instanceof SipResponse r && r.callId().equals(callId) && r.cseq().number() == 2);
    }

    private static String registerText(String user, String invalidHost, String callId, int cseq, String extra) {
        return "REGISTER sip:" + TestFiles.DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WS " + invalidHost + ";branch=z9hG4bK" + id() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@sip.test>;tag=" + callId.substring(0, 8) + "\r\n"
                + "To: <sip:" + user + "@sip.test>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:" + user + "@" + invalidHost + ";transport=ws>\r\n"
                + "Expires: 300\r\n" + extra
                + "Content-Length: 0\r\n\r\n";
    }

    private static SipResponse options(WsSipClient client) {
        String callId = id();
        client.send("OPTIONS sip:" + node.address() + " SIP/2.0\r\nVia: SIP/2.0/WS q.invalid;branch=z9hG4bK" + id()
                + "\r\nMax-Forwards: 70\r\nFrom: <sip:x@sip.test>;tag=1\r\nTo: <sip:sip.test>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        return (SipResponse) client.await("the OPTIONS answer", WAIT, m -> m instanceof SipResponse r && r.callId().equals(callId));
    }

    /** A UAS's response: the request's Vias, From, To (tagged), Call-ID and CSeq, its Record-Routes for an INVITE. */
    static String answer(SipRequest request, int status, String reason, String contact, String sdp) {
        StringBuilder sb = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        request.headers("via").forEach(v -> sb.append("Via: ").append(v).append("\r\n"));
        request.headers("record-route").forEach(rr -> sb.append("Record-Route: ").append(rr).append("\r\n"));
        String to = request.header("to").orElseThrow();
        sb.append("From: ").append(request.header("from").orElseThrow()).append("\r\n")
                .append("To: ").append(to).append(request.to().tag().isPresent() ? "" : ";tag=ws" + id().substring(0, 6))
                .append("\r\nCall-ID: ").append(request.callId()).append("\r\nCSeq: ")
                .append(request.header("cseq").orElseThrow()).append("\r\n");
        if (!contact.isEmpty()) {
            sb.append("Contact: ").append(contact).append("\r\n");
        }
        byte[] body = sdp.getBytes(StandardCharsets.UTF_8);
        if (body.length > 0) {
            sb.append("Content-Type: application/sdp\r\n");
        }
        return sb.append("Content-Length: ").append(body.length).append("\r\n\r\n").append(sdp).toString();
    }

    private static String sdp() {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    }

    private static String id() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
