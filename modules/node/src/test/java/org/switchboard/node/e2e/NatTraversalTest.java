package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * Phones behind NAT: their Via and Contact name a private address nobody can reach (here, a loopback address
 * nothing listens on); only the address they send from reaches them. The node calls them there, keeps
 * reaching them there for the whole dialog, follows them when they change networks mid-call, and answers the
 * STUN keep-alives that hold their NAT binding open (RFC 5626 §4.4.2).
 */
class NatTraversalTest {
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    @RegisterExtension
    static final SingleNode node = SingleNode.of("nat", List.of("alice@sip.test,pw", "bob@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off", "switchboard.session.min-session-expires = 2s"));

    @Test
    void aPhoneBehindNatIsCalledAndHungUpAtTheAddressItRegisteredFrom() {
        try (DialogPhone alice = new DialogPhone("alice", node.address());
             DialogPhone bob = new DialogPhone("bob", node.address(), "127.0.0.2", Optional.of("127.0.0.77:5099"))) {
            assertEquals(200, bob.register().status());
            DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SDP);
            SipRequest atBob = bob.awaitRequest("INVITE"); // on 127.0.0.2: the Contact's address is dead
            assertEquals("sip:bob@127.0.0.77:5099", atBob.requestUriText(), "the Request-URI stays the Contact");
            bob.answer(atBob, 200, "OK", List.of(), "application/sdp", SDP);
            assertEquals(200, alice.await(invite).status());
            bob.awaitRequest("ACK");

            DialogPhone.Sent bye = alice.request(invite.callId(), "BYE", List.of(), null, null);
            SipRequest byeAtBob = bob.awaitRequest("BYE");
            assertEquals(invite.callId(), byeAtBob.callId());
            bob.answer(byeAtBob, 200, "OK");
            assertEquals(200, alice.await(bye).status());
        }
    }

    @Test
    void aCallerBehindNatGetsTheCalleesByeWhereItSpokeFrom() {
        try (DialogPhone alice = new DialogPhone("alice", node.address(), "127.0.0.3", Optional.of("127.0.0.79:5080"));
             DialogPhone bob = new DialogPhone("bob", node.address())) {
            assertEquals(200, bob.register().status());
            DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SDP);
            SipRequest atBob = bob.awaitRequest("INVITE");
            bob.answer(atBob, 200, "OK", List.of(), "application/sdp", SDP);
            assertEquals(200, alice.await(invite).status(), "the answer reaches the caller through its rport");
            bob.awaitRequest("ACK");

            DialogPhone.Sent bye = bob.request(invite.callId(), "BYE", List.of(), null, null);
            SipRequest byeAtAlice = alice.awaitRequest("BYE");
            assertEquals("sip:alice@127.0.0.79:5080", byeAtAlice.requestUriText());
            alice.answer(byeAtAlice, 200, "OK");
            assertEquals(200, bob.await(bye).status());
        }
    }

    /**
     * Mid-call, bob loses his address (Wi-Fi to mobile), re-registers from the new one and refreshes the dialog's
     * target with a re-INVITE: alice's BYE reaches him there, and so does the proxy's own BYE when the session
     * timer of a second call runs out.
     */
    @Test
    void aPhoneThatChangesNetworksMidCallKeepsItsCall() {
        try (DialogPhone alice = new DialogPhone("alice", node.address());
             DialogPhone bob = new DialogPhone("bob", node.address(), "127.0.0.4", Optional.of("127.0.0.80:5099"))) {
            assertEquals(200, bob.register().status());
            String call = answeredCall(alice, bob);

            bob.moveTo("127.0.0.5", Optional.of("127.0.0.81:5099"));
            assertEquals(200, bob.register().status());
            DialogPhone.Sent reInvite = bob.request(call, "INVITE", List.of(), "application/sdp", SDP);
            SipRequest atAlice = alice.awaitRequest("INVITE");
            assertEquals("sip:bob@127.0.0.81:5099", atAlice.contacts().get(0).uri().toString());
            alice.answer(atAlice, 200, "OK", List.of(), "application/sdp", SDP);
            assertEquals(200, bob.await(reInvite).status());
            alice.awaitRequest("ACK");

            DialogPhone.Sent bye = alice.request(call, "BYE", List.of(), null, null);
            SipRequest byeAtBob = bob.awaitRequest("BYE"); // on 127.0.0.5: 127.0.0.4 is closed
            assertEquals("sip:bob@127.0.0.81:5099", byeAtBob.requestUriText());
            bob.answer(byeAtBob, 200, "OK");
            assertEquals(200, alice.await(bye).status());

            // a second call; bob moves again and his re-INVITE sets a 2 s session timer that nobody refreshes:
            // the proxy ends the call itself, reaching bob where he is now
            String timed = answeredCall(alice, bob);
            bob.moveTo("127.0.0.6", Optional.of("127.0.0.82:5099"));
            DialogPhone.Sent refresh = bob.request(timed, "INVITE", List.of("Session-Expires: 2", "Supported: timer"),
                    "application/sdp", SDP);
            SipRequest refreshAtAlice = alice.awaitRequest("INVITE");
            alice.answer(refreshAtAlice, 200, "OK", List.of("Session-Expires: 2;refresher=uac", "Require: timer"),
                    "application/sdp", SDP);
            assertEquals(200, bob.await(refresh).status());
            alice.awaitRequest("ACK");
            SipRequest proxyBye = bob.awaitRequest("BYE");
            assertEquals(timed, proxyBye.callId());
            assertEquals("sip:bob@127.0.0.82:5099", proxyBye.requestUriText());
            bob.answer(proxyBye, 200, "OK");
            SipRequest proxyByeAtAlice = alice.awaitRequest("BYE");
            alice.answer(proxyByeAtAlice, 200, "OK");
        }
    }

    /** RFC 5626 §4.4.2 / RFC 5389: a STUN Binding request on the SIP port gets the address it came from. */
    @Test
    void stunKeepAlivesOnTheSipPortAreAnswered() throws Exception {
        String[] hostPort = node.address().split(":");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.7", 0))) {
            socket.setSoTimeout(5000);
            byte[] transaction = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
                    .putInt(0x2112A442).put(transaction);
            socket.send(new DatagramPacket(request.array(), 20,
                    new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            socket.receive(in);
            ByteBuffer response = ByteBuffer.wrap(in.getData(), 0, in.getLength());
            assertEquals(0x0101, response.getShort() & 0xffff, "a Binding success response");
            int length = response.getShort() & 0xffff;
            assertEquals(0x2112A442, response.getInt());
            byte[] echoed = new byte[12];
            response.get(echoed);
            assertTrue(Arrays.equals(transaction, echoed), "the same transaction id");
            assertEquals(length, response.remaining());
            assertEquals(0x0020, response.getShort() & 0xffff, "XOR-MAPPED-ADDRESS");
            assertEquals(8, response.getShort());
            response.get(); // reserved
            assertEquals(1, response.get(), "IPv4");
            int port = (response.getShort() & 0xffff) ^ 0x2112;
            int address = response.getInt() ^ 0x2112A442;
            assertEquals(socket.getLocalPort(), port);
            assertEquals(0x7F000007, address, "127.0.0.7, where the request came from");
        }
    }

    private static String answeredCall(DialogPhone alice, DialogPhone bob) {
        DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SDP);
        SipRequest atBob = bob.awaitRequest("INVITE");
        bob.answer(atBob, 200, "OK", List.of(), "application/sdp", SDP);
        SipResponse ok = alice.await(invite);
        assertEquals(200, ok.status());
        bob.awaitRequest("ACK");
        return invite.callId();
    }
}
