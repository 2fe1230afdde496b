package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * URI identity and the header rules through a node (docs/architecture.md, "URI identity"): an AOR is the same
 * however its user is escaped, its host cased or its parameters written (RFC 3261 §10.3), but a user differing in
 * case is another user (§19.1.4); a request repeating a single-valued header with another value is a 400 naming it.
 */
class UriIdentityEndToEndTest {
    @RegisterExtension
    static final SingleNode node = SingleNode.of("identity", List.of("Alice@sip.test,pw", "Carol@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    @Test
    void registeredAsSipAliceAtUpperCaseDomainWithTransportReachedAtPercent41lice() {
        try (DialogPhone alice = new DialogPhone("Alice", node.address());
             DialogPhone caller = new DialogPhone("caller", node.address())) {
            assertEquals(200, alice.registerAs("sip:Alice@SIP.TEST;transport=udp", "").status(),
                    "the AOR is sip:Alice@sip.test: host case and parameters do not count");
            DialogPhone.Sent invite = caller.invite("sip:%41lice@sip.test", List.of(), sdp("caller"));
            SipRequest atAlice = alice.awaitRequest("INVITE");
            assertEquals(invite.callId(), atAlice.callId(), "%41 is 'A': the same user");
            alice.answer(atAlice, 200, "OK", List.of(), "application/sdp", sdp("Alice"));
            assertEquals(200, caller.await(invite).status());
            alice.awaitRequest("ACK");
            DialogPhone.Sent bye = caller.request(invite.callId(), "BYE", List.of(), null, null);
            alice.answer(alice.awaitRequest("BYE"), 200, "OK");
            assertEquals(200, caller.await(bye).status());
        }
    }

    @Test
    void aUserPartDifferingOnlyInCaseDoesNotReachIt() {
        try (DialogPhone carol = new DialogPhone("Carol", node.address());
             DialogPhone caller = new DialogPhone("caller", node.address())) {
            assertEquals(200, carol.register().status());
            SipResponse r = caller.await(caller.invite("sip:carol@sip.test", List.of(), sdp("caller")));
            assertEquals(404, r.status(), "sip:carol@sip.test is not sip:Carol@sip.test (user parts are case-sensitive)");
            assertFalse(carol.hasReceived("INVITE"), "Carol's phone never rang");
        }
    }

    @Test
    void aSecondCallIdWithAnotherValueIsA400NamingIt() {
        String reply = exchange("""
                OPTIONS sip:Alice@sip.test SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKdup1
                Max-Forwards: 70
                To: <sip:Alice@sip.test>
                From: <sip:caller@sip.test>;tag=1
                Call-ID: dup.1@127.0.0.1
                CSeq: 1 OPTIONS
                i: dup.2@127.0.0.1
                Content-Length: 0

                """);
        assertTrue(reply.startsWith("SIP/2.0 400 Bad Request - one Call-ID header, not a second with another value"), reply);
        assertTrue(reply.contains("Call-ID: dup.1@127.0.0.1\r\n") && !reply.contains("dup.2"), reply);
    }

    /** One datagram to the node and its answer, within a deadline. */
    private static String exchange(String template) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] out = String.format(template, socket.getLocalPort()).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", node.port())));
            socket.setSoTimeout(10_000);
            byte[] in = new byte[65535];
            DatagramPacket p = new DatagramPacket(in, in.length);
            socket.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer in 10 s\n" + node.process().tail(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sdp(String user) {
        return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    }
}
