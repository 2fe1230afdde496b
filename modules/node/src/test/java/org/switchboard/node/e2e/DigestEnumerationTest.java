package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;
import org.switchboard.testkit.SipText;

/**
 * Account enumeration, as an attacker on another host (127.0.0.2) tries it against a real node: REGISTER for a
 * user that exists and for one that does not must get byte-identical answers apart from the names and the nonce,
 * and a wrong password must end exactly like a user that does not exist.
 */
class DigestEnumerationTest {
    private static final String ATTACKER = "127.0.0.2";
    @RegisterExtension
    static final SingleNode node = SingleNode.of("digest-enumeration", List.of("alice@sip.test,alicepw"), List.of());

    @Test
    void knownAndUnknownUsersGetTheSameChallengeAndTheSame403() {
        try (Attacker a = new Attacker()) {
            String known = a.send("alice", Optional.empty());
            String unknown = a.send("mallory", Optional.empty());
            assertEquals(401, status(known), known);
            assertEquals(masked(known, "alice"), masked(unknown, "mallory"), "the challenges tell the users apart");

            String wrongPassword = a.send("alice", Optional.of(a.answer(known, "alice", "guess")));
            String noSuchUser = a.send("mallory", Optional.of(a.answer(unknown, "mallory", "guess")));
            assertEquals(403, status(wrongPassword), wrongPassword);
            assertEquals(masked(wrongPassword, "alice"), masked(noSuchUser, "mallory"),
                    "a wrong password and a user that does not exist end differently");

            // and the owner of the account still gets in
            String fresh = a.send("alice", Optional.empty());
            assertEquals(200, status(a.send("alice", Optional.of(a.answer(fresh, "alice", "alicepw")))));
        }
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    /** The response with what must differ blanked: the user's name, the Via branch, the nonce. */
    private static String masked(String response, String user) {
        return response.replace(user, "USER")
                .replaceAll("branch=[^;\\s]+", "branch=B")
                .replaceAll("nonce=\"[^\"]*\"", "nonce=\"N\"");
    }

    /** A phone on another host, writing its REGISTERs out in full (MD5, qop=auth, as a phone does). */
    private static final class Attacker implements AutoCloseable {
        private final DatagramSocket socket;
        private final InetSocketAddress server;
        private final String callId = UUID.randomUUID().toString();
        /** Each user's REGISTERs count on their own: the answers to the n-th of each are compared. */
        private final java.util.Map<String, Long> cseqs = new java.util.HashMap<>();

        Attacker() {
            String[] hostPort = node.address().split(":");
            server = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
            try {
                socket = new DatagramSocket(new InetSocketAddress(ATTACKER, 0));
                socket.setSoTimeout(5000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String send(String user, Optional<String> authorization) {
            String aor = "<sip:" + user + "@" + TestFiles.DOMAIN + ">";
            String request = "REGISTER sip:" + TestFiles.DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + ATTACKER + ":" + socket.getLocalPort() + ";branch=z9hG4bK"
                    + UUID.randomUUID().toString().replace("-", "") + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + aor + ";tag=7a3f\r\n"
                    + "To: " + aor + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + cseqs.merge(user, 1L, Long::sum) + " REGISTER\r\n"
                    + "Contact: <sip:" + user + "@" + ATTACKER + ":" + socket.getLocalPort() + ">\r\n"
                    + "Expires: 600\r\n"
                    + authorization.map(v -> "Authorization: " + v + "\r\n").orElse("")
                    + "Content-Length: 0\r\n\r\n";
            byte[] out = request.getBytes(StandardCharsets.UTF_8);
            try {
                socket.send(new DatagramPacket(out, out.length, server));
                byte[] buf = new byte[65535];
                while (true) {
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    socket.receive(in);
                    if (SipParser.parse(buf, 0, in.getLength()) instanceof ParseResult.Parsed p
                            && p.message() instanceof SipResponse r && r.status() >= 200) {
                        return new String(buf, 0, in.getLength(), StandardCharsets.UTF_8);
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no final response in time to:\n" + request + "\n" + node.process().tail());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String answer(String challengeResponse, String user, String password) {
            SipResponse challenge = SipText.response(challengeResponse.getBytes(StandardCharsets.UTF_8));
            return DigestAnswers.answer(challenge.header("www-authenticate").orElseThrow(), user, password, "REGISTER",
                    "sip:" + TestFiles.DOMAIN, 1);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
