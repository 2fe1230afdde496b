package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.switchboard.sip.CSeq;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;

/**
 * A phone that keeps dialogs, for call-transfer tests: a transferee handles two Call-IDs at once, which SIPp
 * cannot. One UDP socket on loopback, registered as {@code user@sip.test}; every packet goes to the proxy (every
 * Route here names it). A thread receives: responses complete the transaction of their Via branch, requests
 * wait in an inbox for the test, and a retransmitted request is answered again with the same response.
 * Requests are retransmitted every 500 ms until their final response (an INVITE: until its first provisional, as
 * RFC 3261 §17.1.1.2 says); 1xx are kept for {@link #awaitProvisional}, which a reliable one (RFC 3262) needs to
 * set up the early dialog its PRACK is sent in.
 */
final class DialogPhone implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One side's view of a dialog (RFC 3261 §12): the From/To values it sends, its target and route set. */
    private static final class Dialog {
        final String callId;
        final String localParty;
        String remoteParty;
        String remoteTarget;
        List<String> routeSet = List.of();
        long cseq = 1;

        Dialog(String callId, String localParty, String remoteParty, String remoteTarget) {
            this.callId = callId;
            this.localParty = localParty;
            this.remoteParty = remoteParty;
            this.remoteTarget = remoteTarget;
        }
    }

    /** A request on its way: its final response completes {@link #response}. */
    record Sent(String callId, String method, long cseq, String text, CompletableFuture<SipResponse> response) {
    }

    private final String user;
    private final InetSocketAddress proxy;
    /** Behind NAT: the private host:port written into Via and Contact, where nobody listens. */
    private final Optional<String> privateAddress;
    private volatile DatagramSocket socket;
    private volatile String sentBy;
    private volatile String contact;
    private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();
    private final Map<String, Sent> transactions = new ConcurrentHashMap<>();
    /** Retransmission timers of requests sent, by branch. */
    private final Map<String, ScheduledFuture<?>> retransmissions = new ConcurrentHashMap<>();
    private final Map<String, byte[]> acks = new ConcurrentHashMap<>();
    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<SipRequest> inbox = new ArrayList<>();
    private final List<SipResponse> provisionals = new ArrayList<>();
    private final Map<String, String> toTags = new ConcurrentHashMap<>();
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    /** Every message received, whole, retransmissions included. */
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    DialogPhone(String user, String proxyAddress) {
        this(user, proxyAddress, "127.0.0.1", Optional.empty());
    }

    /**
     * A phone on {@code localHost}; with a {@code privateAddress} it plays one behind NAT: its Via (with rport)
     * and Contact name that address, where nothing listens, and only the address it sends from reaches it.
     */
    DialogPhone(String user, String proxyAddress, String localHost, Optional<String> privateAddress) {
        this(user, proxyAddress, localHost, privateAddress, 0);
    }

    /** A phone (or a server stand-in) at a port chosen beforehand, e.g. one named in the node's config. */
    DialogPhone(String user, String proxyAddress, String localHost, int port) {
        this(user, proxyAddress, localHost, Optional.empty(), port);
    }

    /** A phone (or a trunk peer a node routes to) on {@code localHost} at this UDP port (0: any). */
    DialogPhone(String user, String proxyAddress, String localHost, Optional<String> privateAddress, int port) {
        this.user = user;
        this.privateAddress = privateAddress;
        int colon = proxyAddress.lastIndexOf(':');
        proxy = new InetSocketAddress(proxyAddress.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(proxyAddress.substring(colon + 1)));
        listenOn(localHost, privateAddress, port);
    }

    /** The phone changes networks (Wi-Fi to mobile): a new address to send from, the old one gone. */
    void moveTo(String localHost, Optional<String> newPrivateAddress) {
        DatagramSocket old = socket;
        listenOn(localHost, newPrivateAddress.or(() -> privateAddress), 0);
        old.close();
    }

    private void listenOn(String localHost, Optional<String> hidden, int port) {
        DatagramSocket s;
        try {
            s = new DatagramSocket(new InetSocketAddress(localHost, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sentBy = hidden.orElse((localHost.contains(":") ? "[" + localHost + "]" : localHost) + ":" + s.getLocalPort());
        contact = "<sip:" + user + "@" + sentBy + ">";
        socket = s;
        Thread receiver = new Thread(() -> receive(s), "phone-" + user);
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The address requests reach this phone at now. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    String user() {
        return user;
    }

    /** The local UDP port the phone sends from and listens on. */
    int port() {
        return socket.getLocalPort();
    }

    /** REGISTER our contact for user@sip.test, answering the 401 with the password {@code pw}. */
    SipResponse register() {
        return register("");
    }

    /**
     * REGISTER our contact with these Contact parameters (e.g. {@code ;q=0.5}), answering the 401 with the password
     * {@code pw} and the algorithm the challenge names (MD5 or SHA-256, RFC 7616).
     */
    SipResponse register(String contactParams) {
        return registerAs("sip:" + user + "@" + TestFiles.DOMAIN, contactParams, List.of());
    }

    /** As above, with these header lines too (e.g. {@code Supported: gruu}). */
    SipResponse register(String contactParams, List<String> extraHeaders) {
        return registerAs("sip:" + user + "@" + TestFiles.DOMAIN, contactParams, extraHeaders);
    }

    /** {@link #register(String)} with {@code aorUri} in From and To: the AOR spelled as a test needs it. */
    SipResponse registerAs(String aorUri, String contactParams) {
        return registerAs(aorUri, contactParams, List.of());
    }

    private SipResponse registerAs(String aorUri, String contactParams, List<String> extraHeaders) {
        String aor = "<" + aorUri + ">";
        Dialog reg = new Dialog(newId(), aor + ";tag=" + newId(), aor, "sip:" + TestFiles.DOMAIN);
        List<String> headers = new ArrayList<>(List.of("Contact: " + contact + contactParams, "Expires: 3600"));
        headers.addAll(extraHeaders);
        SipResponse challenge = await(send(reg, "REGISTER", reg.cseq, headers, null, null));
        if (challenge.status() != 401) {
            return challenge;
        }
        List<String> answered = new ArrayList<>(headers);
        answered.add("Authorization: " + DigestAnswers.answer(challenge.header("www-authenticate").orElseThrow(), user,
                "pw", "REGISTER", "sip:" + TestFiles.DOMAIN, 1));
        return await(send(reg, "REGISTER", ++reg.cseq, answered, null, null));
    }

    /** An INVITE starting a new dialog (a new Call-ID) to {@code target}, with an SDP offer. */
    Sent invite(String target, List<String> headers, String sdp) {
        Dialog d = new Dialog(newId(), "<sip:" + user + "@" + TestFiles.DOMAIN + ">;tag=" + newId().substring(0, 10),
                "<" + target + ">", target);
        dialogs.put(d.callId, d);
        return send(d, "INVITE", d.cseq, headers, "application/sdp", sdp);
    }

    /**
     * An out-of-dialog request other than INVITE (MESSAGE, OPTIONS, SUBSCRIBE, PUBLISH) in a new Call-ID; a 2xx to
     * a SUBSCRIBE sets up the subscription's dialog, in which {@link #request} then sends.
     */
    Sent outOfDialog(String method, String target, List<String> headers, String contentType, String body) {
        Dialog d = new Dialog(newId(), "<sip:" + user + "@" + TestFiles.DOMAIN + ">;tag=" + newId().substring(0, 10),
                "<" + target + ">", target);
        dialogs.put(d.callId, d);
        return send(d, method, d.cseq, headers, contentType, body);
    }

    /** How many messages whose first line starts with {@code firstLine} reached the phone in this Call-ID. */
    long received(String firstLine, String callId) {
        synchronized (received) {
            return received.stream().filter(line -> line.startsWith(firstLine) && line.endsWith(" [" + callId + "]")).count();
        }
    }

    /** A request in the dialog of {@code callId}, along its route set to its remote target. */
    Sent request(String callId, String method, List<String> headers, String contentType, String body) {
        Dialog d = dialog(callId);
        return send(d, method, ++d.cseq, headers, contentType, body);
    }

    /**
     * The final response to {@code sent}, waited for with a deadline. A 2xx to an INVITE sets up the dialog
     * (remote tag, target, route set reversed: RFC 3261 §12.1.2) and is acknowledged at once.
     */
    SipResponse await(Sent sent) {
        SipResponse r;
        try {
            r = sent.response().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(user + ": no final response in " + TIMEOUT.toSeconds() + " s to:\n" + sent.text()
                    + "\nreceived instead: " + received);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (sent.method().equals("SUBSCRIBE") && r.isSuccess() && sent.cseq() == 1) {
            establish(sent, r); // RFC 6665 §4.1.2.1: the 2xx sets up the subscription's dialog (no ACK)
        } else if (sent.method().equals("INVITE") && r.isSuccess()) {
            Dialog d = establish(sent, r);
            byte[] ack = build(d, "ACK", sent.cseq(), newBranch(), List.of(), null, null).getBytes(StandardCharsets.UTF_8);
            acks.put(r.topVia().branch().orElseThrow(), ack);
            transmit(ack);
        } else if (sent.method().equals("INVITE")) {
            // a non-2xx final is acknowledged in its own transaction: its branch, the response's To (§17.1.1.3)
            Dialog d = dialog(sent.callId());
            Dialog failed = new Dialog(d.callId, d.localParty, r.header("to").orElseThrow(), d.remoteTarget);
            failed.routeSet = d.routeSet;
            String branch = r.topVia().branch().orElseThrow();
            byte[] ack = build(failed, "ACK", sent.cseq(), branch, List.of(), null, null).getBytes(StandardCharsets.UTF_8);
            acks.put(branch, ack);
            transmit(ack);
        }
        return r;
    }

    /**
     * The first provisional response of this status to {@code sent}, waited for with a deadline. One to an INVITE
     * with a To tag sets up the early dialog (§12.1.2), in which a PRACK (RFC 3262) can then be sent.
     */
    SipResponse awaitProvisional(Sent sent, int status) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (provisionals) {
            Optional<SipResponse> found;
            while ((found = provisionals.stream().filter(r -> r.status() == status && r.callId().equals(sent.callId())
                    && r.cseq().equals(new CSeq(sent.cseq(), sent.method()))).findFirst()).isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError(user + ": no " + status + " in " + TIMEOUT.toSeconds() + " s to:\n"
                            + sent.text() + "\nreceived instead: " + received);
                }
                try {
                    provisionals.wait(left);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            SipResponse r = found.get();
            if (sent.method().equals("INVITE") && r.to().tag().isPresent()) {
                establish(sent, r);
            }
            return r;
        }
    }

    /** Our side of the dialog a response to our INVITE sets up: remote tag, target, route set reversed. */
    private Dialog establish(Sent invite, SipResponse r) {
        Dialog d = dialog(invite.callId());
        boolean first = NameAddress.parse(d.remoteParty).tag().isEmpty();
        d.remoteParty = r.header("to").orElseThrow();
        d.remoteTarget = r.contacts().get(0).uri().toString();
        if (first) { // a re-INVITE's 2xx refreshes the target only; the route set is fixed (§12.2.1.2)
            List<String> routes = new ArrayList<>(r.headers("record-route"));
            Collections.reverse(routes);
            d.routeSet = routes;
        }
        return d;
    }

    /** Every message the phone received, whole and in order, retransmissions included. */
    List<String> receivedMessages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /**
     * CANCELs an INVITE still ringing (RFC 3261 §9.1): its Request-URI, top Via, Route, From, To and Call-ID, its
     * CSeq number; sent once (loopback), its 200 not waited for: the INVITE's 487 says it worked.
     */
    void cancel(Sent invite) {
        SipRequest inv = (SipRequest) ((ParseResult.Parsed) SipParser.parse(invite.text().getBytes(StandardCharsets.UTF_8)))
                .message();
        List<String> h = new ArrayList<>();
        h.add("Via: " + inv.headers("via").get(0));
        h.add("Max-Forwards: 70");
        inv.headers("route").forEach(r -> h.add("Route: " + r));
        h.add("From: " + inv.header("from").orElseThrow());
        h.add("To: " + inv.header("to").orElseThrow());
        h.add("Call-ID: " + inv.callId());
        h.add("CSeq: " + inv.cseq().number() + " CANCEL");
        transmit(message("CANCEL " + inv.requestUriText() + " SIP/2.0", h, null, null).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a request of this method ever reached the phone (retransmissions aside), waiting for nothing. */
    boolean hasReceived(String method) {
        synchronized (received) {
            return received.stream().anyMatch(line -> line.startsWith(method + " "));
        }
    }

    /** Whether a request of this method in this Call-ID ever reached the phone, waiting for nothing. */
    boolean hasReceived(String method, String callId) {
        synchronized (received) {
            return received.stream().anyMatch(line -> line.startsWith(method + " ") && line.endsWith(" [" + callId + "]"));
        }
    }

    /** The next request of this method received (others stay in the inbox), waited for with a deadline. */
    SipRequest awaitRequest(String method) {
        return awaitRequest(method, TIMEOUT);
    }

    /** As above, waiting up to {@code timeout}. */
    SipRequest awaitRequest(String method, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            Optional<SipRequest> found;
            while ((found = inbox.stream().filter(r -> r.method().equals(method)).findFirst()).isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError(user + ": no " + method + " in " + timeout.toSeconds()
                            + " s; received instead: " + received);
                }
                try {
                    inbox.wait(left);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            inbox.remove(found.get());
            return found.get();
        }
    }

    void answer(SipRequest request, int status, String reason) {
        answer(request, status, reason, List.of(), null, null);
    }

    /**
     * Answers a request with its Vias, From, To, Call-ID and CSeq. A request without a To tag gets ours, the same
     * in every response to it; a 2xx or a provisional (but 100) to an INVITE also carries its Record-Routes and our
     * Contact, and sets up our side of the (early) dialog; a 2xx to an UPDATE carries our Contact (RFC 3311).
     */
    void answer(SipRequest request, int status, String reason, List<String> headers, String contentType, String body) {
        List<String> h = new ArrayList<>();
        request.headers("via").forEach(v -> h.add("Via: " + v));
        String to = request.header("to").orElseThrow();
        if (request.to().tag().isEmpty()) {
            to += ";tag=" + toTags.computeIfAbsent(key(request), k -> newId().substring(0, 10));
        }
        h.add("From: " + request.header("from").orElseThrow());
        h.add("To: " + to);
        h.add("Call-ID: " + request.callId());
        h.add("CSeq: " + request.header("cseq").orElseThrow());
        boolean ownContact = headers.stream().anyMatch(x -> x.regionMatches(true, 0, "Contact:", 0, 8));
        boolean dialogCreating = request.method().equals("INVITE")
                || (request.method().equals("SUBSCRIBE") && request.to().tag().isEmpty() && status / 100 == 2);
        if (dialogCreating && status > 100 && status < 300) {
            request.headers("record-route").forEach(rr -> h.add("Record-Route: " + rr));
            if (!ownContact) {
                h.add("Contact: " + contact); // else the one in headers: a GRUU, say (RFC 5627 §4.2)
            }
            Dialog d = new Dialog(request.callId(), to, request.header("from").orElseThrow(),
                    request.contacts().get(0).uri().toString());
            d.routeSet = request.headers("record-route");
            Dialog known = dialogs.putIfAbsent(d.callId, d);
            if (known != null && status / 100 == 2) {
                known.remoteTarget = d.remoteTarget; // a target refresh (§12.2.2)
            }
        } else if (request.method().equals("UPDATE") && status / 100 == 2 && !ownContact) {
            h.add("Contact: " + contact);
        }
        h.addAll(headers);
        byte[] bytes = message("SIP/2.0 " + status + " " + reason, h, contentType, body).getBytes(StandardCharsets.UTF_8);
        answers.put(key(request), bytes);
        transmit(bytes);
    }

    String localTag(String callId) {
        return tagOf(dialog(callId).localParty);
    }

    String remoteTag(String callId) {
        return tagOf(dialog(callId).remoteParty);
    }

    private static String tagOf(String nameAddr) {
        return NameAddress.parse(nameAddr).tag().orElseThrow();
    }

    private Dialog dialog(String callId) {
        Dialog d = dialogs.get(callId);
        if (d == null) {
            throw new AssertionError(user + " has no dialog " + callId + "; it has " + dialogs.keySet());
        }
        return d;
    }

    private Sent send(Dialog d, String method, long cseq, List<String> headers, String contentType, String body) {
        String branch = newBranch();
        String text = build(d, method, cseq, branch, headers, contentType, body);
        Sent sent = new Sent(d.callId, method, cseq, text, new CompletableFuture<>());
        transactions.put(branch, sent);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        transmit(bytes);
        var retransmit = timer.scheduleAtFixedRate(() -> transmit(bytes), 500, 500, TimeUnit.MILLISECONDS);
        retransmissions.put(branch, retransmit);
        sent.response().whenComplete((r, e) -> {
            retransmit.cancel(false);
            retransmissions.remove(branch);
        });
        return sent;
    }

    private String build(Dialog d, String method, long cseq, String branch, List<String> headers, String contentType,
                         String body) {
        List<String> h = new ArrayList<>();
        h.add("Via: SIP/2.0/UDP " + sentBy + ";branch=" + branch + (privateAddress.isPresent() ? ";rport" : ""));
        h.add("Max-Forwards: 70");
        d.routeSet.forEach(r -> h.add("Route: " + r));
        h.add("From: " + d.localParty);
        h.add("To: " + d.remoteParty);
        h.add("Call-ID: " + d.callId);
        h.add("CSeq: " + cseq + " " + method);
        if (headers.stream().noneMatch(x -> x.regionMatches(true, 0, "Contact:", 0, 8))) {
            h.add("Contact: " + contact);
        }
        h.addAll(headers);
        return message(method + " " + d.remoteTarget + " SIP/2.0", h, contentType, body);
    }

    private static String message(String startLine, List<String> headers, String contentType, String body) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        headers.forEach(h -> sb.append(h).append("\r\n"));
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        String b = body == null ? "" : body;
        sb.append("Content-Length: ").append(b.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n");
        return sb.append(b).toString();
    }

    private void receive(DatagramSocket socket) {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (IOException e) {
                return; // closed
            }
            String text = new String(buf, 0, in.getLength(), StandardCharsets.UTF_8);
            if (!(SipParser.parse(buf, 0, in.getLength()) instanceof ParseResult.Parsed p)) {
                received.add("(malformed: " + text + ")");
                continue;
            }
            SipMessage m = p.message();
            received.add(text.lines().findFirst().orElse("") + " [" + m.callId() + "]");
            messages.add(text);
            if (m instanceof SipResponse r) {
                String branch = r.topVia().branch().orElse("");
                // a CANCEL shares its INVITE's branch: its 200 is not the INVITE's answer
                Sent sent = Optional.ofNullable(transactions.get(branch))
                        .filter(t -> t.method().equals(r.cseq().method())).orElse(null);
                if (r.status() < 200) {
                    if (sent != null && sent.method().equals("INVITE")) { // Proceeding: no more retransmissions (§17.1.1.2)
                        Optional.ofNullable(retransmissions.get(branch)).ifPresent(t -> t.cancel(false));
                    }
                    synchronized (provisionals) {
                        provisionals.add(r);
                        provisionals.notifyAll();
                    }
                } else if (sent != null && !sent.response().complete(r) && acks.containsKey(branch)) {
                    transmit(acks.get(branch)); // a retransmitted 2xx: acknowledge it again
                }
            } else if (m instanceof SipRequest r) {
                byte[] answer = answers.get(key(r));
                if (answer != null) {
                    transmit(answer);
                } else if (seen.add(key(r))) {
                    synchronized (inbox) {
                        inbox.add(r);
                        inbox.notifyAll();
                    }
                }
            }
        }
    }

    /** A request and its retransmissions share their top Via branch and CSeq method (RFC 3261 §17.2.3). */
    private static String key(SipRequest r) {
        return r.topVia().branch().orElse("") + " " + r.cseq().method();
    }

    private void transmit(byte[] bytes) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, proxy));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // after close, only a retransmission being cancelled
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String newBranch() {
        return "z9hG4bK" + newId();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        socket.close();
    }
}
