package org.switchboard.node.warmup;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.switchboard.sip.HeaderName;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestCredentials;

/**
 * One warm-up account played by two UDP sockets of the node's own on loopback, as SIPp's client and server
 * scenarios would: the callee socket registers (401, digest, 200) and, on a thread of its own, answers every INVITE
 * with 180 and 200 and every BYE with 200; the caller socket calls the account (407 and digest when the proxy
 * challenges), gets 100/180/200, sends ACK and BYE along the route set. One call at a time, every wait bounded: a
 * lane that gets no answer gives the call up and starts the next one.
 */
final class WarmUpLane implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;
    private static final String SDP = "v=0\r\no=warm-up 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    /** What one attempt came to; {@code SHED} is the node's overload 503, after which the lane pauses. */
    enum Outcome { OK, SHED, FAILED }

    private final String user;
    private final String domain;
    private final String password;
    private final InetSocketAddress node;
    private final DatagramSocket caller;
    private final DatagramSocket callee;
    private final long waitNanos;
    private final String registrationCallId = newId();
    private long registrationCseq;
    private final byte[] buffer = new byte[MAX_DATAGRAM];
    private final BlockingQueue<SipResponse> registerResponses = new LinkedBlockingQueue<>();

    WarmUpLane(String user, String domain, String password, InetSocketAddress node, java.time.Duration wait)
            throws IOException {
        this.user = user;
        this.domain = domain;
        this.password = password;
        this.node = node;
        this.caller = new DatagramSocket(new InetSocketAddress(node.getAddress(), 0));
        this.callee = new DatagramSocket(new InetSocketAddress(node.getAddress(), 0));
        this.waitNanos = wait.toNanos();
    }

    List<InetSocketAddress> sockets() {
        return List.of((InetSocketAddress) caller.getLocalSocketAddress(),
                (InetSocketAddress) callee.getLocalSocketAddress());
    }

    String aor() {
        return "sip:" + user + "@" + domain;
    }

    /** REGISTER the callee socket as the account's contact for {@code expires} seconds (0: remove it). */
    Outcome register(int expires) throws IOException {
        String fromTag = newId();
        String first = registerText(++registrationCseq, expires, fromTag, "");
        send(callee, first);
        Optional<SipResponse> r = awaitRegisterResponse(registrationCseq);
        if (r.isPresent() && r.get().status() == 401) {
            String challenge = r.get().header(HeaderName.WWW_AUTHENTICATE).orElse("");
            String auth = "Authorization: " + answer(challenge, "REGISTER", "sip:" + domain) + "\r\n";
            send(callee, registerText(++registrationCseq, expires, fromTag, auth));
            r = awaitRegisterResponse(registrationCseq);
        }
        return outcome(r);
    }

    /**
     * One call from the caller socket to the account, answered by the callee socket's own thread
     * ({@link #answerCalls}), then hung up.
     */
    Outcome call() throws IOException {
        String callId = newId();
        String from = "<" + aor() + ">;tag=" + newId();
        String to = "<" + aor() + ">";
        long cseq = 1;
        Optional<SipResponse> r = sendAndAwaitFinal(caller, invite(callId, from, to, cseq, ""), callId, "INVITE");
        if (r.isPresent() && r.get().status() == 407) {
            send(caller, ackForFailure(callId, from, r.get(), cseq));
            String auth = "Proxy-Authorization: " + answer(
                    r.get().header(HeaderName.PROXY_AUTHENTICATE).orElse(""), "INVITE", aor()) + "\r\n";
            r = sendAndAwaitFinal(caller, invite(callId, from, to, ++cseq, auth), callId, "INVITE");
        }
        if (r.isEmpty() || !r.get().isSuccess()) {
            long failedCseq = cseq;
            r.ifPresent(failed -> sendQuietly(caller, ackForFailure(callId, from, failed, failedCseq)));
            return outcome(r);
        }
        Dialog dialog = Dialog.of(r.get(), from);
        send(caller, dialog.request("ACK", cseq, callId, caller));
        return outcome(sendAndAwaitFinal(caller, dialog.request("BYE", cseq + 1, callId, caller), callId, "BYE"));
    }

    /**
     * The callee socket's loop until it is closed: INVITEs get 180 and 200 with an SDP answer, BYEs 200; ACKs need
     * nothing; responses (to the REGISTERs sent from this socket) go to {@link #register}.
     */
    void answerCalls() {
        byte[] in = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(in, in.length);
        while (!callee.isClosed()) {
            try {
                callee.setSoTimeout(0);
                callee.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            if (!(SipParser.parse(java.util.Arrays.copyOf(in, packet.getLength())) instanceof ParseResult.Parsed p)) {
                continue;
            }
            if (p.message() instanceof SipResponse response) {
                registerResponses.offer(response);
            } else if (p.message() instanceof SipRequest request) {
                String toTag = Integer.toHexString(request.callId().hashCode());
                switch (request.method()) {
                    case "INVITE" -> {
                        reply(request, 180, "Ringing", toTag, false);
                        reply(request, 200, "OK", toTag, true);
                    }
                    case "BYE" -> reply(request, 200, "OK", toTag, false);
                    default -> {
                        // ACK: the call is up; nothing to answer
                    }
                }
            }
        }
    }

    private static Outcome outcome(Optional<SipResponse> r) {
        if (r.isEmpty()) {
            return Outcome.FAILED;
        }
        return r.get().isSuccess() ? Outcome.OK : r.get().status() == 503 ? Outcome.SHED : Outcome.FAILED;
    }

    private String registerText(long cseq, int expires, String fromTag, String auth) {
        return "REGISTER sip:" + domain + " SIP/2.0\r\n" + via(callee) + "Max-Forwards: 70\r\n"
                + "From: <" + aor() + ">;tag=" + fromTag + "\r\nTo: <" + aor() + ">\r\n"
                + "Call-ID: " + registrationCallId + "\r\nCSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:" + user + "@" + hostPort(callee) + ">\r\nExpires: " + expires + "\r\n" + auth
                + "User-Agent: switchboard-warm-up\r\nContent-Length: 0\r\n\r\n";
    }

    private String invite(String callId, String from, String to, long cseq, String auth) {
        return "INVITE " + aor() + " SIP/2.0\r\n" + via(caller) + "Max-Forwards: 70\r\nFrom: " + from + "\r\n"
                + "To: " + to + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " INVITE\r\n"
                + "Contact: <sip:" + user + "@" + hostPort(caller) + ">\r\n" + auth
                + "User-Agent: switchboard-warm-up\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
    }

    /** The ACK of a non-2xx final response: same branch as the INVITE, the response's To (RFC 3261 §17.1.1.3). */
    private String ackForFailure(String callId, String from, SipResponse r, long cseq) {
        return "ACK " + aor() + " SIP/2.0\r\nVia: " + r.headers(HeaderName.VIA).get(0) + "\r\nMax-Forwards: 70\r\n"
                + "From: " + from + "\r\nTo: " + r.header(HeaderName.TO).orElse("") + "\r\nCall-ID: " + callId
                + "\r\nCSeq: " + cseq + " ACK\r\nContent-Length: 0\r\n\r\n";
    }

    /** The callee's response to a request it received, back to where it came from (the node). */
    private void reply(SipRequest request, int status, String reason, String toTag, boolean withSdp) {
        StringBuilder sb = new StringBuilder(512).append("SIP/2.0 ").append(status).append(' ').append(reason)
                .append("\r\n");
        request.headers(HeaderName.VIA).forEach(v -> sb.append("Via: ").append(v).append("\r\n"));
        if (request.method().equals("INVITE")) {
            request.headers(HeaderName.RECORD_ROUTE).forEach(v -> sb.append("Record-Route: ").append(v).append("\r\n"));
        }
        String to = request.header(HeaderName.TO).orElse("");
        sb.append("From: ").append(request.header(HeaderName.FROM).orElse("")).append("\r\n")
                .append("To: ").append(request.hasToTag() ? to : to + ";tag=" + toTag).append("\r\n")
                .append("Call-ID: ").append(request.callId()).append("\r\n")
                .append("CSeq: ").append(request.header(HeaderName.CSEQ).orElse("")).append("\r\n");
        if (status >= 200 && status < 300 && request.method().equals("INVITE")) {
            sb.append("Contact: <sip:").append(user).append('@').append(hostPort(callee)).append(">\r\n");
        }
        String body = withSdp ? SDP : "";
        if (withSdp) {
            sb.append("Content-Type: application/sdp\r\n");
        }
        sb.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        sendQuietly(callee, sb.toString());
    }

    private String answer(String challenge, String method, String uri) {
        DigestCredentials c = DigestCredentials.parse(challenge);
        Digest.Algorithm alg = Digest.Algorithm.fromWire(c.algorithm()).orElse(Digest.Algorithm.MD5);
        String ha1 = Digest.ha1(alg, user, c.realm(), password);
        String cnonce = newId();
        String response = c.qop().isPresent()
                ? Digest.responseWithQop(alg, ha1, c.nonce(), "00000001", cnonce, method, uri)
                : Digest.responseWithoutQop(alg, ha1, c.nonce(), method, uri);
        return "Digest username=\"" + user + "\", realm=\"" + c.realm() + "\", nonce=\"" + c.nonce() + "\", uri=\""
                + uri + "\", response=\"" + response + "\", algorithm=" + alg.wireName()
                + (c.qop().isPresent() ? ", qop=auth, nc=00000001, cnonce=\"" + cnonce + "\"" : "");
    }

    private Optional<SipResponse> awaitRegisterResponse(long cseq) {
        long deadline = System.nanoTime() + waitNanos;
        try {
            for (long left = waitNanos; left > 0; left = deadline - System.nanoTime()) {
                SipResponse r = registerResponses.poll(left, TimeUnit.NANOSECONDS);
                if (r == null) {
                    return Optional.empty();
                }
                if (r.status() >= 200 && r.callId().equals(registrationCallId) && r.cseqNumber() == cseq) {
                    return Optional.of(r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private Optional<SipResponse> sendAndAwaitFinal(DatagramSocket from, String text, String callId, String method)
            throws IOException {
        send(from, text);
        return await(from, callId, method, r -> r.status() >= 200);
    }

    private Optional<SipResponse> await(DatagramSocket on, String callId, String method, Predicate<SipResponse> wanted)
            throws IOException {
        return receive(on, m -> m instanceof SipResponse r && r.callId().equals(callId)
                && r.cseqMethod().equals(method) && wanted.test(r)).map(SipResponse.class::cast);
    }

    /** The next message on the socket that is wanted; others (1xx, retransmissions, strays) are passed over. */
    private Optional<SipMessage> receive(DatagramSocket on, Predicate<SipMessage> wanted) throws IOException {
        long deadline = System.nanoTime() + waitNanos;
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        for (long left = waitNanos; left > 0; left = deadline - System.nanoTime()) {
            on.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                on.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            if (SipParser.parse(data) instanceof ParseResult.Parsed p && wanted.test(p.message())) {
                return Optional.of(p.message());
            }
        }
        return Optional.empty();
    }

    private void send(DatagramSocket from, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(bytes, bytes.length, node));
    }

    private void sendQuietly(DatagramSocket from, String text) {
        try {
            send(from, text);
        } catch (IOException e) {
            // the call is given up by the wait that follows; the lane goes on with the next one
        }
    }

    private static String via(DatagramSocket s) {
        return "Via: SIP/2.0/UDP " + hostPort(s) + ";branch=z9hG4bK" + newId() + ";rport\r\n";
    }

    private static String hostPort(DatagramSocket s) {
        InetSocketAddress a = (InetSocketAddress) s.getLocalSocketAddress();
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static String newId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    @Override
    public void close() {
        caller.close();
        callee.close();
    }

    /** The caller's side of an answered call: the callee's target and the route set, reversed (RFC 3261 §12.1.2). */
    private record Dialog(String from, String to, String target, List<String> routes) {
        static Dialog of(SipResponse ok, String from) {
            List<String> routes = new ArrayList<>(ok.recordRoutes().stream().map(NameAddress::toString).toList());
            Collections.reverse(routes);
            String target = ok.contacts().isEmpty() ? "" : ok.contacts().get(0).uri().toString();
            return new Dialog(from, ok.header(HeaderName.TO).orElse(""), target, List.copyOf(routes));
        }

        String request(String method, long cseq, String callId, DatagramSocket from) {
            StringBuilder sb = new StringBuilder(512).append(method).append(' ').append(target).append(" SIP/2.0\r\n")
                    .append(via(from)).append("Max-Forwards: 70\r\n");
            routes.forEach(r -> sb.append("Route: ").append(r).append("\r\n"));
            return sb.append("From: ").append(this.from).append("\r\nTo: ").append(to).append("\r\nCall-ID: ")
                    .append(callId).append("\r\nCSeq: ").append(cseq).append(' ').append(method)
                    .append("\r\nContent-Length: 0\r\n\r\n").toString();
        }
    }
}
