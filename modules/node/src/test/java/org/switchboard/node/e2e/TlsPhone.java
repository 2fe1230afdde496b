package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;

/**
 * A SIP phone on one TLS connection to the node (the JDK's SSLSocket; Debian's SIPp is built without TLS): it
 * writes whole messages and a reader thread frames what comes back by Content-Length, responses and requests in
 * two queues. Its Contact names its connection ({@code transport=tls}), so calls to it come back on the
 * connection it registered on.
 */
final class TlsPhone implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final String user;
    private final SSLSocket socket;
    private final BlockingQueue<SipResponse> responses = new LinkedBlockingQueue<>();
    private final BlockingQueue<SipRequest> requests = new LinkedBlockingQueue<>();
    private volatile boolean closedByPeer;
    private int cseq = 1;

    /** Connects and completes the handshake (which throws when the node refuses it). */
    TlsPhone(String user, InetSocketAddress node, SSLContext context, Optional<String> sni) throws IOException {
        this.user = user;
        socket = (SSLSocket) context.getSocketFactory().createSocket(node.getHostString(), node.getPort());
        SSLParameters params = socket.getSSLParameters();
        sni.ifPresent(name -> params.setServerNames(List.of(new SNIHostName(name))));
        socket.setSSLParameters(params);
        socket.setSoTimeout(0);
        socket.startHandshake();
        Thread reader = new Thread(this::read, "tls-phone-" + user);
        reader.setDaemon(true);
        reader.start();
    }

    /** A client context trusting the PEM {@code ca}, showing {@code certificate}/{@code key} when given. */
    static SSLContext context(Path ca, Optional<TestCertificates.NodeFiles> own) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificates(ca).get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (own.isPresent()) {
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                keys.setKeyEntry("me", privateKey(own.get().privateKey()), new char[0],
                        certificates(own.get().certificate()).toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    X509Certificate serverCertificate() throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    int localPort() {
        return socket.getLocalPort();
    }

    String contact() {
        return "<sip:" + user + "@127.0.0.1:" + localPort() + ";transport=tls>";
    }

    /** REGISTER over this connection, answering the 401 with the digest of {@code password}. */
    SipResponse register(String password) {
        String callId = UUID.randomUUID().toString();
        SipResponse challenge = exchange(registerText(callId, Optional.empty()));
        if (challenge.status() != 401) {
            return challenge;
        }
        return exchange(registerText(callId, Optional.of(DigestAnswers.answer(
                challenge.header("www-authenticate").orElseThrow(), user, password, "REGISTER", "sip:" + TestFiles.DOMAIN, 1))));
    }

    private String registerText(String callId, Optional<String> authorization) {
        String aor = "<sip:" + user + "@" + TestFiles.DOMAIN + ">";
        return message("REGISTER sip:" + TestFiles.DOMAIN + " SIP/2.0", List.of(via(), "Max-Forwards: 70",
                "From: " + aor + ";tag=" + callId.substring(0, 8), "To: " + aor, "Call-ID: " + callId,
                "CSeq: " + cseq++ + " REGISTER", "Contact: " + contact(), "Expires: 600",
                authorization.map(a -> "Authorization: " + a).orElse("X-No-Auth: yes")), null, "");
    }

    String via() {
        return "Via: SIP/2.0/TLS 127.0.0.1:" + localPort() + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A new INVITE (new Call-ID) to {@code target} with this SDP offer; its text, to build the ACK from. */
    String invite(String target, String sdp) {
        String callId = UUID.randomUUID().toString();
        String text = message("INVITE " + target + " SIP/2.0", List.of(via(), "Max-Forwards: 70",
                "From: <sip:" + user + "@" + TestFiles.DOMAIN + ">;tag=" + callId.substring(0, 8), "To: <" + target + ">",
                "Call-ID: " + callId, "CSeq: 1 INVITE", "Contact: " + contact()), "application/sdp", sdp);
        send(text);
        return text;
    }

    static String message(String startLine, List<String> headers, String contentType, String body) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        headers.forEach(h -> sb.append(h).append("\r\n"));
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n");
        return sb.append(body).toString();
    }

    void send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SipResponse exchange(String text) {
        send(text);
        return awaitFinal();
    }

    /** The next final response (1xx skipped). */
    SipResponse awaitFinal() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                SipResponse r = responses.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("no final response within " + TIMEOUT.toSeconds() + " s"
                            + (closedByPeer ? " (the node closed the connection)" : ""));
                }
                if (r.status() >= 200) {
                    return r;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    SipRequest awaitRequest(String method) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                SipRequest r = requests.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("no " + method + " within " + TIMEOUT.toSeconds() + " s");
                }
                if (r.method().equals(method)) {
                    return r;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the node closed the connection (e.g. a client certificate it refused, seen at the first read). */
    boolean closedByPeer() {
        return closedByPeer;
    }

    private void read() {
        byte[] pending = new byte[0];
        byte[] buf = new byte[65536];
        try {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                byte[] joined = new byte[pending.length + n];
                System.arraycopy(pending, 0, joined, 0, pending.length);
                System.arraycopy(buf, 0, joined, pending.length, n);
                pending = frames(joined);
            }
        } catch (IOException e) {
            // closed: by us, or the node refused us
        }
        closedByPeer = true;
    }

    /** Takes every whole message off the front of {@code data}; returns the rest. */
    private byte[] frames(byte[] data) {
        int start = 0;
        while (true) {
            while (start < data.length && (data[start] == '\r' || data[start] == '\n')) {
                start++;
            }
            String text = new String(data, start, data.length - start, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                break;
            }
            int length = 0;
            for (String line : text.substring(0, end).split("\r\n")) {
                String lower = line.toLowerCase();
                if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            int total = end + 4 + length;
            if (text.length() < total) {
                break;
            }
            if (SipParser.parse(data, start, total) instanceof ParseResult.Parsed p) {
                SipMessage m = p.message();
                if (m instanceof SipResponse r) {
                    responses.add(r);
                } else {
                    requests.add((SipRequest) m);
                }
            }
            start += total;
        }
        byte[] rest = new byte[data.length - start];
        System.arraycopy(data, start, rest, 0, rest.length);
        return rest;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
