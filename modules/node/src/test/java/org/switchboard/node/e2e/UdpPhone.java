package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.auth.DigestCredentials;
import org.switchboard.testkit.DigestAnswers;

/**
 * A phone for registrar tests: a real UDP socket on loopback that sends REGISTERs written out in full and
 * answers digest challenges the way a phone does (qop=auth, with the algorithm the challenge names: MD5 or
 * SHA-256). Each REGISTER is a new transaction.
 */
final class UdpPhone implements AutoCloseable {
    private final DatagramSocket socket;
    private final String localHost;
    private final InetSocketAddress server;
    private final String callId = UUID.randomUUID().toString();
    private long cseq = 1;
    private int nc = 0;
    private String lastAuthorization = "";

    UdpPhone(int serverPort) {
        this("127.0.0.1", serverPort);
    }

    UdpPhone(String serverHost, int serverPort) {
        this("127.0.0.1", serverHost, serverPort);
    }

    /** A phone on another local address (127.0.0.2 and up play other hosts). */
    UdpPhone(String localHost, String serverHost, int serverPort) {
        this.localHost = localHost;
        try {
            socket = new DatagramSocket(new InetSocketAddress(localHost, 0));
            socket.setSoTimeout(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = new InetSocketAddress(serverHost, serverPort);
    }

    /** How long to wait for a final response (5 s unless set). */
    UdpPhone timeout(java.time.Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (java.net.SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** REGISTER with the given Contact header value (none: a query of the bindings) and an optional Expires. */
    SipResponse register(String user, Optional<String> contact, Optional<Integer> expires, Optional<String> authorization) {
        String branch = "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
        StringBuilder sb = new StringBuilder()
                .append("REGISTER sip:").append(TestFiles.DOMAIN).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(localHost).append(':').append(port()).append(";branch=").append(branch).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:").append(user).append('@').append(TestFiles.DOMAIN).append(">;tag=").append(callId, 0, 8).append("\r\n")
                .append("To: <sip:").append(user).append('@').append(TestFiles.DOMAIN).append(">\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq++).append(" REGISTER\r\n");
        contact.ifPresent(c -> sb.append("Contact: ").append(c).append("\r\n"));
        expires.ifPresent(e -> sb.append("Expires: ").append(e).append("\r\n"));
        authorization.ifPresent(a -> sb.append("Authorization: ").append(a).append("\r\n"));
        sb.append("Content-Length: 0\r\n\r\n");
        return exchange(sb.toString());
    }

    /** REGISTER, answer the 401 with credentials for {@code authUser}/{@code password}, return the final response. */
    SipResponse registerWithAuth(String user, String authUser, String password, Optional<String> contact,
                                 Optional<Integer> expires) {
        SipResponse challenge = register(user, contact, expires, Optional.empty());
        if (challenge.status() != 401) {
            return challenge;
        }
        String auth = authorization(challenge, authUser, password);
        lastAuthorization = auth;
        return register(user, contact, expires, Optional.of(auth));
    }

    /** The Authorization header value of the last successful challenge answer, to replay it. */
    String lastAuthorization() {
        return lastAuthorization;
    }

    /** Credentials answering the challenge's first WWW-Authenticate with the algorithm it names (MD5 or SHA-256). */
    String authorization(SipResponse challenge, String user, String password) {
        DigestCredentials c = DigestCredentials.parse(challenge.header("www-authenticate").orElseThrow());
        return authorization(challenge, user, password, c.algorithm());
    }

    /** Credentials for the challenge's realm and nonce computed with {@code algorithm}, offered or not. */
    String authorization(SipResponse challenge, String user, String password, String algorithm) {
        DigestCredentials c = DigestCredentials.parse(challenge.header("www-authenticate").orElseThrow());
        String cnonce = UUID.randomUUID().toString().substring(0, 8);
        return DigestAnswers.answer(c.realm(), c.nonce(), algorithm, user, password, "REGISTER", "sip:" + TestFiles.DOMAIN,
                ++nc, cnonce);
    }

    private SipResponse exchange(String request) {
        byte[] out = request.getBytes(StandardCharsets.UTF_8);
        try {
            socket.send(new DatagramPacket(out, out.length, server));
            byte[] buf = new byte[65535];
            while (true) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                socket.receive(in);
                ParseResult r = SipParser.parse(buf, 0, in.getLength());
                if (r instanceof ParseResult.Parsed p && p.message() instanceof SipResponse resp && resp.status() >= 200) {
                    return resp;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no final response in time to:\n" + request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
