package org.switchboard.node.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;

/**
 * A phone on a TCP connection it opened itself, as behind a NAT: it listens on no port, so whatever reaches it
 * came over this one connection. It REGISTERs over it (digest, RFC 5626 instance and reg-id), and answers by
 * itself: an INVITE with 180 then 200 (SDP), a BYE with 200; an ACK is only taken in. Every request received is
 * kept for the test.
 */
final class TcpPhone implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final String user;
    private final String instance;
    private final Socket socket;
    private final OutputStream out;
    private final Map<String, CompletableFuture<SipResponse>> pending = new ConcurrentHashMap<>();
    private final List<SipRequest> received = Collections.synchronizedList(new ArrayList<>());
    private final String callId = UUID.randomUUID().toString();
    /** The To tag this phone gave each call it answered, by Call-ID. */
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    private long cseq = 1;

    /** Connects to the node at {@code host:port}, as {@code user@sip.test}; {@code instance} names the device. */
    TcpPhone(String user, String node, String instance) {
        this.user = user;
        this.instance = instance;
        String[] hostPort = node.split(":");
        try {
            socket = new Socket();
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5000);
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + node, e);
        }
        Thread reader = new Thread(this::read, "tcp-phone-" + user);
        reader.setDaemon(true);
        reader.start();
    }

    /** REGISTER over the connection, answering the 401 with the password {@code pw}: the final response. */
    SipResponse register() {
        SipResponse challenge = register(Optional.empty());
        if (challenge.status() != 401) {
            return challenge;
        }
        return register(Optional.of(authorization(challenge)));
    }

    private SipResponse register(Optional<String> authorization) {
        String aor = "<sip:" + user + "@" + TestFiles.DOMAIN + ">";
        long n = cseq++;
        List<String> h = new ArrayList<>(List.of(
                "Via: SIP/2.0/TCP " + local() + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", ""),
                "Max-Forwards: 70", "From: " + aor + ";tag=" + callId.substring(0, 8), "To: " + aor,
                "Call-ID: " + callId, "CSeq: " + n + " REGISTER",
                "Contact: <sip:" + user + "@" + local() + ";transport=tcp>;+sip.instance=\"<urn:uuid:" + instance
                        + ">\";reg-id=1",
                "Expires: 600"));
        authorization.ifPresent(a -> h.add("Authorization: " + a));
        CompletableFuture<SipResponse> response = new CompletableFuture<>();
        pending.put(callId + "|" + n, response);
        write(message("REGISTER sip:" + TestFiles.DOMAIN + " SIP/2.0", h, ""));
        try {
            return response.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(user + ": no answer to REGISTER over TCP in " + TIMEOUT.toSeconds() + " s");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String authorization(SipResponse challenge) {
        return DigestAnswers.answer(challenge.header("www-authenticate").orElseThrow(), user, "pw", "REGISTER",
                "sip:" + TestFiles.DOMAIN, 1);
    }

    /** Waits until a request of this method and Call-ID has come over the connection. */
    SipRequest awaitRequest(String method, String callId) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (received) {
                Optional<SipRequest> found = received.stream()
                        .filter(r -> r.method().equals(method) && r.callId().equals(callId)).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                try {
                    received.wait(100);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new AssertionError(user + ": no " + method + " of " + callId + " over its TCP connection in "
                + TIMEOUT.toSeconds() + " s; received " + received.stream().map(SipRequest::method).toList());
    }

    /** The To tag this phone answered the call of {@code callId} with. */
    String tagOf(String callId) {
        return Optional.ofNullable(tags.get(callId)).orElseThrow(() -> new AssertionError(user + " answered no " + callId));
    }

    /**
     * A re-INVITE sent by this phone — a new connection of the device that answered {@code invite} with
     * {@code localTag} — in that dialog (RFC 3261 §12.2.1.1: route set as recorded, the caller's Contact as target),
     * its Contact naming this connection: a target refresh. Its 2xx is acknowledged; the final response completes.
     */
    CompletableFuture<SipResponse> reInvite(SipRequest invite, String localTag, long cseqNumber) {
        String target = invite.contacts().get(0).uri().toString();
        List<String> routes = new ArrayList<>();
        invite.headers("record-route").forEach(rr -> routes.add("Route: " + rr));
        String from = invite.header("to").orElseThrow() + ";tag=" + localTag;
        String to = invite.header("from").orElseThrow();
        List<String> h = new ArrayList<>();
        h.add("Via: SIP/2.0/TCP " + local() + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", ""));
        h.add("Max-Forwards: 70");
        h.addAll(routes);
        h.addAll(List.of("From: " + from, "To: " + to, "Call-ID: " + invite.callId(), "CSeq: " + cseqNumber + " INVITE",
                "Contact: <sip:" + user + "@" + local() + ";transport=tcp>", "Content-Type: application/sdp"));
        CompletableFuture<SipResponse> response = new CompletableFuture<>();
        pending.put(invite.callId() + "|" + cseqNumber, response);
        write(message("INVITE " + target + " SIP/2.0", h, "v=0\r\no=" + user + " 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"
                + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4002 RTP/AVP 0\r\n"));
        return response.thenApply(r -> {
            if (r.isSuccess()) {
                List<String> ack = new ArrayList<>();
                ack.add("Via: SIP/2.0/TCP " + local() + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", ""));
                ack.add("Max-Forwards: 70");
                ack.addAll(routes);
                ack.addAll(List.of("From: " + from, "To: " + r.header("to").orElseThrow(), "Call-ID: " + invite.callId(),
                        "CSeq: " + cseqNumber + " ACK"));
                write(message("ACK " + target + " SIP/2.0", ack, ""));
            }
            return r;
        });
    }

    /** Hangs up the connection, as a phone that loses its network does. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private String local() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void answer(SipRequest request) {
        switch (request.method()) {
            case "INVITE" -> {
                String tag = request.to().tag().orElseGet(() -> UUID.randomUUID().toString().substring(0, 8));
                tags.putIfAbsent(request.callId(), tag);
                write(response(request, "180 Ringing", tag, ""));
                write(response(request, "200 OK", tag, "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                        + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"));
            }
            case "BYE" -> write(response(request, "200 OK", "", ""));
            default -> { } // ACK: nothing to answer
        }
    }

    private String response(SipRequest request, String status, String tag, String sdp) {
        List<String> h = new ArrayList<>();
        request.headers("via").forEach(v -> h.add("Via: " + v));
        String to = request.header("to").orElseThrow();
        h.add("From: " + request.header("from").orElseThrow());
        h.add("To: " + (request.to().tag().isEmpty() && !tag.isEmpty() ? to + ";tag=" + tag : to));
        h.add("Call-ID: " + request.callId());
        h.add("CSeq: " + request.header("cseq").orElseThrow());
        if (request.method().equals("INVITE")) {
            request.headers("record-route").forEach(rr -> h.add("Record-Route: " + rr));
            h.add("Contact: <sip:" + user + "@" + local() + ";transport=tcp>");
        }
        if (!sdp.isEmpty()) {
            h.add("Content-Type: application/sdp");
        }
        return message("SIP/2.0 " + status, h, sdp);
    }

    private static String message(String startLine, List<String> headers, String body) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        headers.forEach(h -> sb.append(h).append("\r\n"));
        sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body);
        return sb.toString();
    }

    private void write(String message) {
        synchronized (out) {
            try {
                out.write(message.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(user + ": connection lost", e);
            }
        }
    }

    /** Reads the connection until it closes. */
    private void read() {
        try (InputStream in = socket.getInputStream()) {
            Optional<SipMessage> next;
            while ((next = readMessage(in)).isPresent()) {
                take(next.get());
            }
        } catch (IOException | UncheckedIOException e) {
            // the connection is gone: the phone hears nothing more
        }
    }

    /**
     * The next message of a stream, framed by its Content-Length (RFC 3261 §18.3), CRLF keep-alives skipped; empty
     * at the end of the stream. One that does not parse is skipped.
     */
    static Optional<SipMessage> readMessage(InputStream in) throws IOException {
        while (true) {
            byte[] head = readHead(in);
            if (head == null) {
                return Optional.empty();
            }
            byte[] body = in.readNBytes(contentLength(new String(head, StandardCharsets.UTF_8)));
            byte[] whole = new byte[head.length + body.length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(body, 0, whole, head.length, body.length);
            if (SipParser.parse(whole) instanceof ParseResult.Parsed p) {
                return Optional.of(p.message());
            }
        }
    }

    private void take(SipMessage message) {
        if (message instanceof SipResponse r) {
            if (r.status() >= 200) {
                Optional.ofNullable(pending.remove(r.callId() + "|" + r.cseq().number())).ifPresent(f -> f.complete(r));
            }
            return;
        }
        SipRequest request = (SipRequest) message;
        answer(request);
        synchronized (received) {
            received.add(request);
            received.notifyAll();
        }
    }

    /** The start line and headers up to the blank line, or null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // keep-alive
            }
            head.write(b);
            byte[] sofar = head.toByteArray();
            int n = sofar.length;
            if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') {
                return sofar;
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }
}
