import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * SIP-over-TLS load generator for bench/run (Debian's SIPp is built without OpenSSL, so it cannot drive TLS).
 * Pure JDK, one file: compiled by bench/run with javac, or run as {@code java bench/tls/TlsLoad.java ...}.
 *
 * <p>It opens PHONES TLS connections to the server (handshakes before the clock starts, as phones that stay
 * connected), phone i being account user%04d(FIRST+i) with password pw%04d (the accounts bench/run provisions for
 * both servers). Each phone's Contact and Via name its own connection ({@code 127.0.0.1:<local port>;transport=tls}),
 * so requests to it come back on the connection it registered on.
 *
 * <ul>
 * <li>{@code reg}: RATE REGISTER transactions per second for DUR seconds, each REGISTER -> 401 -> REGISTER with MD5
 * digest (qop=auth) -> 200, on an idle phone (one registration per phone at a time; when none is idle the pacing
 * waits, so the achieved rate falls). Latency: first REGISTER sent -> 200 received (as SIPp's "reg" RTD).</li>
 * <li>{@code call}: every phone registers first (not measured); then RATE calls per second for DUR seconds from the
 * first half of the phones to the second half: INVITE -> 100/180/200 -> ACK -> HOLD ms -> BYE -> 200, through the
 * server along its Record-Route. Latencies: INVITE -> 200 ("setup") and BYE -> 200 ("bye").</li>
 * </ul>
 * With --warmup S, S seconds of the same operations at the same rate run first, not measured (this JVM's JIT).
 * At the end every phone unregisters (Expires: 0), so the next step starts from no TLS bindings. It prints one line,
 * {@code RESULT key=value ...}, that bench/run parses. It is bounded: it gives up on unanswered operations
 * TIMEOUT seconds after the last one started, and exits.
 */
public final class TlsLoad {
    static final String CRLF = "\r\n";

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("mode", "reg", "server", "127.0.0.1:5061", "phones", "200",
                "first", "0", "rate", "100", "duration", "10", "domain", "sip.test", "hold-ms", "1000", "timeout", "32"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("option expected: " + args[i]);
            o.put(args[i].substring(2), args[i + 1]);
        }
        if (!o.containsKey("ca")) throw new IllegalArgumentException("--ca <PEM of the CA that issued the server's certificate> is required");
        try {
            new TlsLoad(o).run();
        } catch (Exception e) {
            // one line for bench/run even when the step could not run (a refused handshake, a dead server)
            System.out.println("RESULT mode=" + o.get("mode") + " rate=" + o.get("rate") + " created=0 ok=0 failed=0 achieved=0 error="
                    + e.toString().replaceAll("\\s+", "_"));
            e.printStackTrace();
            System.exit(2);
        }
    }

    final String mode, domain;
    final int phonesN, first, rate, duration, holdMs, timeoutS, warmupS;
    final InetSocketAddress server;
    final SSLContext context;
    final Map<String, Op> ops = new ConcurrentHashMap<>();
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    final List<Phone> phones = new ArrayList<>();
    final AtomicInteger uasOk = new AtomicInteger(), uasFailed = new AtomicInteger(), connectionsLost = new AtomicInteger();
    final AtomicLong seq = new AtomicLong();
    final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    final List<Long> serverPids = new ArrayList<>();

    TlsLoad(Map<String, String> o) throws Exception {
        mode = o.get("mode");
        for (String p : o.getOrDefault("server-pids", "").split("[,\\s]+")) if (!p.isBlank()) serverPids.add(Long.parseLong(p.trim()));
        domain = o.get("domain");
        phonesN = Integer.parseInt(o.get("phones"));
        first = Integer.parseInt(o.get("first"));
        rate = Integer.parseInt(o.get("rate"));
        duration = Integer.parseInt(o.get("duration"));
        holdMs = Integer.parseInt(o.get("hold-ms"));
        timeoutS = Integer.parseInt(o.get("timeout"));
        warmupS = Integer.parseInt(o.getOrDefault("warmup", "0"));
        String[] hp = o.get("server").split(":");
        server = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        if (!mode.equals("reg") && !mode.equals("call")) throw new IllegalArgumentException("--mode reg|call");
        if (mode.equals("call") && phonesN < 2) throw new IllegalArgumentException("calls need at least 2 phones");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(o.get("ca")))) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
    }

    void fail(String why) { failures.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet(); }

    void run() throws Exception {
        long c0 = System.nanoTime();
        ExecutorService connector = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Phone>> fs = new ArrayList<>();
        for (int i = 0; i < phonesN; i++) {
            String user = String.format("user%04d", first + i), pw = String.format("pw%04d", first + i);
            fs.add(connector.submit(() -> new Phone(this, user, pw)));
        }
        for (var f : fs) phones.add(f.get(60, TimeUnit.SECONDS));
        connector.shutdown();
        double connectS = (System.nanoTime() - c0) / 1e9;
        System.err.printf(Locale.ROOT, "%d TLS connections to %s in %.1f s (%s)%n", phonesN, server, connectS, phones.get(0).socket.getSession().getProtocol());

        if (mode.equals("call")) {
            // every phone registered with its connection as contact before the clock starts
            List<RegOp> prime = new ArrayList<>();
            for (Phone p : phones) { RegOp r = new RegOp(p, 3600); prime.add(r); r.start(); LockSupport.parkNanos(1_000_000); }
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (RegOp r : prime) r.done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            long ok = prime.stream().filter(r -> r.ok).count();
            System.err.printf("%d of %d phones registered%n", ok, phonesN);
            if (ok < phonesN) { System.out.println("RESULT error=prime-register-failed registered=" + ok); System.exit(2); }
            failures.clear();
        }

        // warm-up (not measured): the same operations at the same rate, so the JIT of this fresh JVM is not measured
        int warmFailed = 0;
        if (warmupS > 0) {
            for (Op op : drive(rate * warmupS)) if (!op.ok) warmFailed++;
            failures.clear();
        }
        long[] cpu0 = cpuSample();
        Op[] all = drive(rate * duration);
        int created = all.length;
        long[] cpu1 = cpuSample();
        int ok = 0, failed = 0;
        List<Long> setup = new ArrayList<>(), bye = new ArrayList<>(), doneAt = new ArrayList<>();
        for (int i = 0; i < created; i++) {
            Op op = all[i];
            if (op.ok) {
                ok++;
                setup.add(op.latency1);
                doneAt.add(op.at1);
                if (op instanceof CallOp) bye.add(op.latency2);
            } else {
                failed++;
                if (op.done.getCount() > 0) fail("timeout (" + op.stage + ")");
            }
        }
        // achieved: completions per second between the first and the last (as bench/run's pctl for SIPp)
        doneAt.sort(null);
        double achieved = doneAt.size() > 1 ? (doneAt.size() - 1) * 1e9 / (doneAt.get(doneAt.size() - 1) - doneAt.get(0)) : 0;

        // leave no TLS binding behind for the next step (not measured)
        List<RegOp> unreg = new ArrayList<>();
        for (Phone p : phones) {
            if (p.closed) continue;
            RegOp r = new RegOp(p, 0);
            r.quiet = true;
            unreg.add(r);
            r.start();
            LockSupport.parkNanos(500_000);
        }
        long ud = System.nanoTime() + 15_000_000_000L;
        for (RegOp r : unreg) r.done.await(Math.max(1, ud - System.nanoTime()), TimeUnit.NANOSECONDS);
        long unregistered = unreg.stream().filter(r -> r.ok).count();

        StringBuilder why = new StringBuilder();
        failures.forEach((k, v) -> why.append(why.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
        System.out.printf(Locale.ROOT, "RESULT mode=%s rate=%d created=%d ok=%d failed=%d achieved=%.1f p50=%s p99=%s p50b=%s p99b=%s"
                + " uas_ok=%s uas_failed=%s phones=%d connect_s=%.1f lost_connections=%d unregistered=%d protocol=%s"
                + " window_s=%.3f server_cpu_s=%s self_cpu_s=%.2f idle_s=%.2f warmup_s=%d warmup_failed=%d%n",
                mode, rate, created, ok, failed, achieved, pct(setup, .5), pct(setup, .99), pct(bye, .5), pct(bye, .99),
                mode.equals("call") ? uasOk.get() : "-", mode.equals("call") ? uasFailed.get() : "-", phonesN, connectS,
                connectionsLost.get(), unregistered, phones.get(0).socket.getSession().getProtocol(),
                (cpu1[0] - cpu0[0]) / 1e9, serverPids.isEmpty() ? "NA" : String.format(Locale.ROOT, "%.2f", (cpu1[1] - cpu0[1]) / (double) HZ),
                (cpu1[2] - cpu0[2]) / 1e9, (cpu1[3] - cpu0[3]) / 100.0, warmupS, warmFailed);
        if (why.length() > 0) System.err.println("failures: " + why);
        for (Phone p : phones) p.close();
        timer.shutdownNow();
        System.exit(0);
    }

    static final int HZ = 100; // USER_HZ of /proc/<pid>/stat on Linux

    /**
     * The load window's clock and CPU, so the figures leave out the JVM start, the handshakes, the priming and the
     * unregistration: {wall ns, server ticks (utime+stime of --server-pids), own CPU ns, machine idle in 1/100 s}.
     */
    long[] cpuSample() {
        long ticks = 0;
        for (long pid : serverPids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
            } catch (IOException | RuntimeException e) {
                // a Kamailio worker gone: its ticks are lost, as in bench/run's own sampling
            }
        }
        long own = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long idle = 0;
        try {
            idle = Math.round(Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[1]) * 100);
        } catch (IOException | RuntimeException e) {
            idle = 0;
        }
        return new long[] {System.nanoTime(), ticks, own, idle};
    }

    /**
     * Starts TOTAL operations at RATE per second (pacing from one clock; a REGISTER waits for an idle phone) and
     * waits until each is done or TIMEOUT s (and a call's hold) have passed since the last one started.
     */
    Op[] drive(int total) throws InterruptedException {
        Op[] all = new Op[total];
        LinkedBlockingQueue<Phone> idle = new LinkedBlockingQueue<>(phones);
        long start = System.nanoTime();
        long stopBy = start + (long) (total / (double) rate + timeoutS) * 1_000_000_000L;
        int created = 0;
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            if (System.nanoTime() > stopBy) break;
            Op op;
            if (mode.equals("reg")) {
                Phone p = idle.poll(Math.max(1, stopBy - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (p == null) break;
                RegOp r = new RegOp(p, 3600);
                r.onDone = () -> idle.add(p);
                op = r;
            } else {
                int half = phonesN / 2;
                op = new CallOp(phones.get(i % half), phones.get(half + (i % (phonesN - half))));
            }
            all[i] = op;
            created++;
            op.start();
        }
        long lastStart = System.nanoTime();
        long until = lastStart + (timeoutS * 1000L + (mode.equals("call") ? holdMs : 0)) * 1_000_000L;
        for (int i = 0; i < created; i++) all[i].done.await(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        return Arrays.copyOf(all, created);
    }

    /** Nearest-rank percentile (i = ceil(p*n), as bench/run's pctl) in ms, 2 decimals; "NA" when empty. */
    static String pct(List<Long> v, double p) {
        if (v.isEmpty()) return "NA";
        long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
        int i = Math.min(a.length, Math.max(1, (int) Math.ceil(p * a.length)));
        return String.format(Locale.ROOT, "%.2f", a[i - 1] / 1e6);
    }

    String newId() { return Long.toString(ProcessHandle.current().pid(), 36) + "-" + seq.incrementAndGet(); }

    // ---------------------------------------------------------------------------------------------------------
    /** One operation (a registration or a call), found by its Call-ID when a response comes back. */
    abstract class Op {
        final String callId = newId();
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean ok;
        volatile String stage = "sent";
        long t0, latency1, at1, latency2;
        Runnable onDone = () -> { };
        boolean quiet;

        abstract void start();
        abstract void onResponse(Phone p, Msg m);

        void finish(boolean success, String why) {
            if (done.getCount() == 0) return;
            ok = success;
            if (!success && !quiet) fail(why);
            ops.remove(callId);
            done.countDown();
            onDone.run();
        }
    }

    final class RegOp extends Op {
        final Phone phone;
        final int expires;
        int cseq = 1;

        RegOp(Phone phone, int expires) { this.phone = phone; this.expires = expires; }

        @Override void start() {
            ops.put(callId, this);
            t0 = System.nanoTime();
            send(null);
        }

        void send(String authorization) {
            String aor = "<sip:" + phone.user + "@" + domain + ">";
            StringBuilder b = new StringBuilder("REGISTER sip:" + domain + " SIP/2.0" + CRLF);
            b.append(phone.via()).append("Max-Forwards: 70" + CRLF).append("From: ").append(aor).append(";tag=r").append(callId).append(CRLF)
                    .append("To: ").append(aor).append(CRLF).append("Call-ID: ").append(callId).append(CRLF)
                    .append("CSeq: ").append(cseq++).append(" REGISTER" + CRLF).append("Contact: ").append(phone.contact()).append(CRLF)
                    .append("Expires: ").append(expires).append(CRLF);
            if (authorization != null) b.append("Authorization: ").append(authorization).append(CRLF);
            b.append("User-Agent: TlsLoad" + CRLF + "Content-Length: 0" + CRLF + CRLF);
            if (!phone.send(b.toString())) finish(false, "connection closed");
        }

        @Override void onResponse(Phone p, Msg m) {
            if (m.status < 200) return;
            if (m.status == 401 && stage.equals("sent")) {
                stage = "authorised";
                send(authorization(m.header("www-authenticate"), phone.user, phone.password, "REGISTER", "sip:" + domain));
            } else if (m.status == 200 && stage.equals("authorised")) {
                long now = System.nanoTime();
                latency1 = now - t0;
                at1 = now;
                finish(true, null);
            } else {
                finish(false, "REGISTER answered " + m.status + " (" + stage + ")");
            }
        }
    }

    final class CallOp extends Op {
        final Phone caller, callee;
        final String tag = "c" + seq.incrementAndGet();
        String toTag, remoteTarget;
        List<String> routes = List.of();
        long byeAt;

        CallOp(Phone caller, Phone callee) { this.caller = caller; this.callee = callee; }

        String dialogHeaders(String method, int cseq) {
            return "From: <sip:" + caller.user + "@" + domain + ">;tag=" + tag + CRLF
                    + "To: <sip:" + callee.user + "@" + domain + ">" + (toTag == null ? "" : ";tag=" + toTag) + CRLF
                    + "Call-ID: " + callId + CRLF + "CSeq: " + cseq + " " + method + CRLF
                    + "Contact: " + caller.contact() + CRLF + "Max-Forwards: 70" + CRLF;
        }

        @Override void start() {
            ops.put(callId, this);
            t0 = System.nanoTime();
            String sdp = sdp(caller.socket.getLocalPort());
            if (!caller.send("INVITE sip:" + callee.user + "@" + domain + " SIP/2.0" + CRLF + caller.via() + dialogHeaders("INVITE", 1)
                    + "Content-Type: application/sdp" + CRLF + "Content-Length: " + sdp.length() + CRLF + CRLF + sdp)) {
                finish(false, "connection closed");
            }
        }

        @Override void onResponse(Phone p, Msg m) {
            String method = m.cseqMethod();
            if (method.equals("INVITE")) {
                if (m.status < 200) return;
                if (m.status >= 300) { finish(false, "INVITE answered " + m.status); return; }
                if (!stage.equals("sent")) { sendAck(); return; } // a retransmitted 200: ACK it again
                long now = System.nanoTime();
                latency1 = now - t0;
                at1 = now;
                toTag = param(m.header("to"), "tag");
                remoteTarget = uri(m.header("contact"));
                List<String> rr = new ArrayList<>();
                for (String v : m.headers("record-route")) rr.addAll(splitTopLevel(v));
                java.util.Collections.reverse(rr); // the UAC's route set is the Record-Route in reverse order
                routes = rr;
                stage = "confirmed";
                sendAck();
                timer.schedule(this::sendBye, holdMs, TimeUnit.MILLISECONDS);
            } else if (method.equals("BYE")) {
                if (m.status < 200) return;
                if (m.status >= 300) { finish(false, "BYE answered " + m.status); return; }
                latency2 = System.nanoTime() - byeAt;
                finish(true, null);
            }
        }

        String inDialog(String method, int cseq) {
            StringBuilder b = new StringBuilder(method + " " + remoteTarget + " SIP/2.0" + CRLF).append(caller.via());
            for (String r : routes) b.append("Route: ").append(r).append(CRLF);
            return b.append(dialogHeaders(method, cseq)).append("Content-Length: 0" + CRLF + CRLF).toString();
        }

        void sendAck() { caller.send(inDialog("ACK", 1)); }

        void sendBye() {
            stage = "bye";
            byeAt = System.nanoTime();
            if (!caller.send(inDialog("BYE", 2))) finish(false, "connection closed");
        }
    }

    /** The callee's side, stateless: 180 and 200 to an INVITE, nothing to an ACK, 200 to a BYE. */
    void onRequest(Phone p, Msg m) {
        switch (m.method) {
            case "INVITE" -> {
                String toTag = "u" + seq.incrementAndGet();
                p.send(response(m, "180 Ringing", toTag, true, p, ""));
                p.send(response(m, "200 OK", toTag, true, p, sdp(p.socket.getLocalPort())));
            }
            case "ACK" -> { }
            case "BYE" -> { if (p.send(response(m, "200 OK", null, false, p, ""))) uasOk.incrementAndGet(); else uasFailed.incrementAndGet(); }
            default -> p.send(response(m, "501 Not Implemented", null, false, p, ""));
        }
    }

    static String response(Msg req, String status, String toTag, boolean dialog, Phone p, String sdp) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + status + CRLF);
        for (String v : req.headers("via")) b.append("Via: ").append(v).append(CRLF);
        if (dialog) for (String v : req.headers("record-route")) b.append("Record-Route: ").append(v).append(CRLF);
        b.append("From: ").append(req.header("from")).append(CRLF);
        String to = req.header("to");
        b.append("To: ").append(to).append(toTag != null && param(to, "tag") == null ? ";tag=" + toTag : "").append(CRLF);
        b.append("Call-ID: ").append(req.header("call-id")).append(CRLF).append("CSeq: ").append(req.header("cseq")).append(CRLF);
        if (dialog) b.append("Contact: ").append(p.contact()).append(CRLF);
        if (!sdp.isEmpty()) b.append("Content-Type: application/sdp" + CRLF);
        return b.append("Content-Length: ").append(sdp.length()).append(CRLF + CRLF).append(sdp).toString();
    }

    static String sdp(int port) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + (20000 + port % 10000 * 2)
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    // ---------------------------------------------------------------------------------------------------------
    /** One TLS connection, one account; a reader thread frames messages by Content-Length. */
    static final class Phone {
        final TlsLoad load;
        final String user, password;
        final SSLSocket socket;
        final OutputStream out;
        volatile boolean closed;

        Phone(TlsLoad load, String user, String password) throws IOException {
            this.load = load;
            this.user = user;
            this.password = password;
            socket = (SSLSocket) load.context.getSocketFactory().createSocket(load.server.getAddress(), load.server.getPort());
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1
            socket.setSSLParameters(params);
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            out = socket.getOutputStream();
            Thread t = new Thread(null, this::read, "phone-" + user, 256 * 1024);
            t.setDaemon(true);
            t.start();
        }

        String contact() { return "<sip:" + user + "@127.0.0.1:" + socket.getLocalPort() + ";transport=tls>"; }

        String via() {
            return "Via: SIP/2.0/TLS 127.0.0.1:" + socket.getLocalPort() + ";rport;branch=z9hG4bK" + load.newId() + CRLF;
        }

        boolean send(String text) {
            if (closed) return false;
            try {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                synchronized (this) { out.write(bytes); out.flush(); }
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        void read() {
            try (InputStream in = new BufferedInputStream(socket.getInputStream(), 65536)) {
                while (true) {
                    Msg m = Msg.read(in);
                    if (m == null) break;
                    if (m.method != null) {
                        load.onRequest(this, m);
                    } else {
                        Op op = load.ops.get(m.header("call-id"));
                        if (op != null) op.onResponse(this, m);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) System.err.println(user + ": " + e);
            }
            if (!closed) load.connectionsLost.incrementAndGet();
            closed = true;
        }

        void close() {
            closed = true;
            try { socket.close(); } catch (IOException e) { /* closing anyway */ }
        }
    }

    /** A parsed SIP message: start line, headers (lower-case full names, in order), body length skipped. */
    static final class Msg {
        String method;
        int status;
        final List<String[]> headers = new ArrayList<>();
        static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to", "i", "call-id", "m", "contact", "l", "content-length");

        static Msg read(InputStream in) throws IOException {
            String first;
            do { first = line(in); if (first == null) return null; } while (first.isEmpty()); // keep-alive CRLFs
            Msg m = new Msg();
            if (first.startsWith("SIP/2.0 ")) m.status = Integer.parseInt(first.substring(8, 11));
            else m.method = first.substring(0, first.indexOf(' '));
            String l;
            while ((l = line(in)) != null && !l.isEmpty()) {
                int c = l.indexOf(':');
                if (c < 0) continue;
                String name = l.substring(0, c).trim().toLowerCase(Locale.ROOT);
                m.headers.add(new String[] {COMPACT.getOrDefault(name, name), l.substring(c + 1).trim()});
            }
            String cl = m.header("content-length");
            int n = cl == null ? 0 : Integer.parseInt(cl.trim());
            in.readNBytes(n);
            return m;
        }

        static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder(128);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') { int len = b.length(); if (len > 0 && b.charAt(len - 1) == '\r') b.setLength(len - 1); return b.toString(); }
                b.append((char) c);
            }
            return null;
        }

        String header(String name) {
            for (String[] h : headers) if (h[0].equals(name)) return h[1];
            return null;
        }

        List<String> headers(String name) {
            List<String> r = new ArrayList<>();
            for (String[] h : headers) if (h[0].equals(name)) r.add(h[1]);
            return r;
        }

        String cseqMethod() { String c = header("cseq"); return c == null ? "" : c.substring(c.indexOf(' ') + 1).trim(); }
    }

    /** Values of one header line, split on the commas outside <...> and quotes. */
    static List<String> splitTopLevel(String v) {
        List<String> r = new ArrayList<>();
        int depth = 0, from = 0;
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '<') depth++;
            else if (!quoted && c == '>') depth--;
            else if (!quoted && depth == 0 && c == ',') { r.add(v.substring(from, i).trim()); from = i + 1; }
        }
        r.add(v.substring(from).trim());
        return r;
    }

    static String uri(String nameAddr) {
        int a = nameAddr.indexOf('<'), b = nameAddr.indexOf('>');
        return a >= 0 && b > a ? nameAddr.substring(a + 1, b) : nameAddr.split(";")[0].trim();
    }

    static String param(String header, String name) {
        int gt = header.lastIndexOf('>');
        for (String part : header.substring(gt + 1).split(";")) {
            String[] kv = part.trim().split("=", 2);
            if (kv[0].equalsIgnoreCase(name)) return kv.length > 1 ? kv[1].trim() : "";
        }
        return null;
    }

    /** The Authorization value answering a Digest challenge (MD5; qop=auth when offered). */
    static String authorization(String challenge, String user, String password, String method, String uri) {
        Map<String, String> c = new HashMap<>();
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("(\\w+)=(\"([^\"]*)\"|[^,\\s]+)").matcher(challenge.replaceFirst("(?i)^\\s*digest\\s+", ""));
        while (mt.find()) c.put(mt.group(1).toLowerCase(Locale.ROOT), mt.group(3) != null ? mt.group(3) : mt.group(2));
        String realm = c.getOrDefault("realm", ""), nonce = c.getOrDefault("nonce", "");
        String ha1 = md5(user + ":" + realm + ":" + password), ha2 = md5(method + ":" + uri);
        boolean qop = c.containsKey("qop") && Arrays.asList(c.get("qop").split(",")).stream().anyMatch(q -> q.trim().equals("auth"));
        String cnonce = Long.toHexString(System.nanoTime());
        String response = qop ? md5(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2) : md5(ha1 + ":" + nonce + ":" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\""
                + response + "\", algorithm=MD5" + (qop ? ", qop=auth, nc=00000001, cnonce=\"" + cnonce + "\"" : "")
                + (c.containsKey("opaque") ? ", opaque=\"" + c.get("opaque") + "\"" : "");
    }

    static String md5(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(32);
            for (byte x : d) b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
