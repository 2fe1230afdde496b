package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's baresip (1.0) as a real softphone, headless: its own configuration directory, no sound card (the
 * {@code aubridge} driver as source and player unless told otherwise), driven over its {@code ctrl_tcp} module
 * (netstring-framed JSON commands, and the events it pushes back), with a SIP trace ({@code -s}) in its log.
 *
 * <p>Everything a later test may vary is in {@link Setup}: the transport (udp, tcp, tls), the local address
 * (127.0.0.x, or an address inside a network namespace with {@link Setup#launcher} and {@link Setup#ports}: the
 * control port is then reached through {@code socat} started with the same launcher), media
 * encryption ({@code mediaenc=srtp}), any other account parameter and any other configuration line (for TLS:
 * {@code sip_cafile} to trust the node's CA, {@code sip_certificate} for the phone's own listener).
 *
 * <p>What baresip 1.0 does that a test must know: it registers as it starts, before the control connection is up
 * (so registration is read from its log as well as its events); over TCP (and TLS) its connections are not bound
 * to the {@code sip_listen} address and leave from the address the kernel picks (127.0.0.1 on loopback) while its
 * Via and Contact name the configured one; it answers MD5 digest challenges only (SoftphoneInteropTest); over TLS
 * it does not check the server's certificate, whatever {@code sip_cafile} says (SoftphoneTlsTest).
 */
final class BaresipPhone implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SRTP = Pattern.compile("SRTP is Enabled \\(cryptosuite=([A-Za-z0-9_]+)\\)");
    private static final Pattern ENCODER = Pattern.compile("audio: Set audio encoder: (\\S+) (\\d+)Hz (\\d+)ch");

    /** How a phone is set up; {@link #of} gives a UDP phone that answers calls itself. */
    record Setup(String user, String domain, String password, String localAddress, int sipPort, int controlPort,
                 String transport, String proxy, Map<String, String> accountParams, List<String> modules,
                 List<String> configLines, List<String> launcher) {

        /**
         * @param proxy the node as {@code host:port}: the outbound proxy every request goes to (the domain itself
         *              does not resolve)
         */
        static Setup of(String user, String domain, String password, String localAddress, String proxy) {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            params.put("answermode", "auto");
            params.put("regint", "300");
            return new Setup(user, domain, password, localAddress, 0, 0, "udp", proxy, params,
                    List.of("opus.so", "g711.so"), List.of(), List.of());
        }

        /** udp, tcp or tls: the AOR's and the outbound proxy's {@code transport} parameter. */
        Setup transport(String t) {
            return new Setup(user, domain, password, localAddress, sipPort, controlPort, t, proxy, accountParams,
                    modules, configLines, launcher);
        }

        /** An account parameter, e.g. {@code mediaenc=srtp}, {@code answermode=manual}, {@code regint=60}. */
        Setup accountParam(String name, String value) {
            Map<String, String> params = new java.util.LinkedHashMap<>(accountParams);
            params.put(name, value);
            return new Setup(user, domain, password, localAddress, sipPort, controlPort, transport, proxy, params,
                    modules, configLines, launcher);
        }

        /** The audio codec modules, in order of preference (Debian ships opus, g711, g722, g726, gsm, ...). */
        Setup codecs(String... moduleFiles) {
            return new Setup(user, domain, password, localAddress, sipPort, controlPort, transport, proxy, accountParams,
                    List.of(moduleFiles), configLines, launcher);
        }

        /** A line added to the config file, e.g. {@code sip_cafile /path/ca.pem} or {@code module srtp.so}. */
        Setup configLine(String line) {
            List<String> lines = new ArrayList<>(configLines);
            lines.add(line);
            return new Setup(user, domain, password, localAddress, sipPort, controlPort, transport, proxy, accountParams,
                    modules, lines, launcher);
        }

        /**
         * Fixed SIP and control ports, for an address the test JVM cannot bind to check (one inside a network
         * namespace); 0 (the default) picks free ones on {@link #localAddress}.
         */
        Setup ports(int sip, int control) {
            return new Setup(user, domain, password, localAddress, sip, control, transport, proxy, accountParams,
                    modules, configLines, launcher);
        }

        /**
         * Media encryption: the account's {@code mediaenc} ({@code srtp}, {@code srtp-mand}, {@code srtp-mandf},
         * {@code dtls_srtp}, ...) and the module that implements it.
         */
        Setup mediaEncryption(String mode) {
            return accountParam("mediaenc", mode)
                    .configLine("module " + (mode.startsWith("dtls") ? "dtls_srtp.so" : "srtp.so"));
        }

        /** A command put in front of baresip, e.g. {@code ip netns exec phone}. */
        Setup launcher(String... command) {
            return new Setup(user, domain, password, localAddress, sipPort, controlPort, transport, proxy, accountParams, modules,
                    configLines, List.of(command));
        }

        String aor() {
            return "sip:" + user + "@" + domain;
        }

        /** The accounts file line: {@code <sip:user@domain;transport=..>;auth_pass=..;outbound="sip:..";...}. */
        String accountLine() {
            StringBuilder line = new StringBuilder("<").append(aor()).append(";transport=").append(transport)
                    .append(">;auth_user=").append(user).append(";auth_pass=").append(password)
                    .append(";outbound=\"sip:").append(proxy).append(";transport=").append(transport).append("\"");
            accountParams.forEach((name, value) -> line.append(';').append(name).append('=').append(value));
            return line.toString();
        }
    }

    private final Setup setup;
    private final Process process;
    private final Path log;
    private final BaresipControl control;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> responses = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> consumed = new HashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();

    private BaresipPhone(Setup setup, Process process, Path log, BaresipControl control) {
        this.setup = setup;
        this.process = process;
        this.log = log;
        this.control = control;
        Thread reader = new Thread(this::readControl, "baresip-" + setup.user());
        reader.setDaemon(true);
        reader.start();
    }

    /** Writes the configuration under {@code dir}, starts baresip and connects to its control port. */
    static BaresipPhone start(Path dir, Setup setup) {
        // baresip listens for TLS on the SIP port + 1; the kernel may hand out a just-closed port again
        int sipPort = setup.sipPort() > 0 ? setup.sipPort() : freeSipPort(setup.localAddress());
        int controlPort = setup.controlPort() > 0 ? setup.controlPort()
                : freePort(setup.localAddress(), Set.of(sipPort, sipPort + 1));
        List<String> config = new ArrayList<>(List.of(
                "poll_method epoll",
                "sip_listen " + setup.localAddress() + ":" + sipPort,
                // an address, not an interface name: SDP and RTP use it, so media stays on this loopback address
                "net_interface " + setup.localAddress(),
                "audio_source aubridge,source",
                "audio_player aubridge,player",
                "audio_alert aubridge,alert",
                "call_local_timeout 60",
                "module_path /usr/lib/baresip/modules"));
        setup.modules().forEach(m -> config.add("module " + m));
        config.addAll(List.of("module aubridge.so", "module ausine.so", "module_tmp account.so",
                "module_app menu.so", "module_app ctrl_tcp.so",
                "ctrl_tcp_listen " + setup.localAddress() + ":" + controlPort));
        config.addAll(setup.configLines());
        try {
            Files.createDirectories(dir);
            TestFiles.write(dir.resolve("config"), config);
            TestFiles.write(dir.resolve("accounts"), List.of(setup.accountLine()));
            TestFiles.write(dir.resolve("contacts"), List.of());
            List<String> command = new ArrayList<>(setup.launcher());
            command.addAll(List.of("baresip", "-f", dir.toString(), "-s"));
            Path log = dir.resolve("baresip.log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            Supplier<String> diagnosis = () -> read(log);
            BaresipControl control = setup.launcher().isEmpty()
                    ? BaresipControl.socket(p, diagnosis, setup.localAddress(), controlPort)
                    : BaresipControl.relay(p, diagnosis, setup.launcher(), setup.localAddress(), controlPort);
            return new BaresipPhone(setup, p, log, control);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Setup setup() {
        return setup;
    }

    /**
     * Waits for the registrar's 200 to this phone's REGISTER. baresip registers as it starts, often before the
     * control connection is up (events are not kept for a later client), so its log line counts as well as its
     * REGISTER_OK event: {@code alice@sip.test: {0/UDP/v4} 200 OK () [1 binding]}.
     */
    BaresipPhone awaitRegistered(Duration timeout) {
        Pattern ok = Pattern.compile("(?m)^" + Pattern.quote(setup.user() + "@" + setup.domain())
                + ": \\{\\d+/\\w+/v[46]\\} 200 ");
        Await.until("baresip " + setup.user() + " to register", timeout,
                () -> hasEvent("REGISTER_OK") || ok.matcher(output()).find(), this::diagnosis);
        return this;
    }

    /**
     * Why baresip gave up registering, once it has: its REGISTER_FAIL event's reason, or its log line
     * {@code reg: sip:alice@sip.test: Register: Function not implemented}.
     */
    Optional<String> registrationFailure() {
        Optional<String> event = events.stream().filter(e -> type(e).equals("REGISTER_FAIL"))
                .map(e -> e.path("param").asText()).findFirst();
        if (event.isPresent()) {
            return event;
        }
        Matcher m = Pattern.compile("reg: " + Pattern.quote(setup.aor()) + ": Register: ([^\\r\\n\\e]+)")
                .matcher(output());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private boolean hasEvent(String type) {
        return events.stream().anyMatch(e -> type(e).equals(type));
    }

    void dial(String uri) {
        command("dial", uri);
    }

    /** Answers the next incoming call (for a phone set up with {@code answermode=manual}). */
    void accept(Duration timeout) {
        awaitEvent("CALL_INCOMING", timeout);
        command("accept", "");
    }

    void hangup() {
        command("hangup", "");
    }

    /** The next call of this phone that is established: its CALL_ESTABLISHED event. */
    JsonNode awaitEstablished(Duration timeout) {
        return awaitEvent("CALL_ESTABLISHED", timeout);
    }

    /** The next call of this phone that ended: its CALL_CLOSED event ({@code param} says why). */
    JsonNode awaitClosed(Duration timeout) {
        return awaitEvent("CALL_CLOSED", timeout);
    }

    /** The audio encoder of the latest call, as {@code name/rate/channels} (e.g. {@code opus/48000/2}). */
    Optional<String> audioCodec() {
        Matcher m = ENCODER.matcher(output());
        String last = null;
        while (m.find()) {
            last = m.group(1) + "/" + m.group(2) + "/" + m.group(3);
        }
        return Optional.ofNullable(last);
    }

    /**
     * The SRTP crypto suite of the latest call, when media encryption is on: baresip logs
     * {@code srtp: audio: SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)} (checked by hand with
     * {@code mediaenc=srtp-mand} between two phones).
     */
    Optional<String> srtpSuite() {
        Matcher m = SRTP.matcher(output());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
    }

    /** Waits for the next event of a type not yet returned by this method (events of each type are counted). */
    synchronized JsonNode awaitEvent(String type, Duration timeout) {
        int seen = consumed.getOrDefault(type, 0);
        Await.until("baresip " + setup.user() + " to report " + type, timeout,
                () -> events.stream().filter(e -> type(e).equals(type)).count() > seen, this::diagnosis);
        consumed.put(type, seen + 1);
        return events.stream().filter(e -> type(e).equals(type)).skip(seen).findFirst().orElseThrow();
    }

    /** A command of baresip's menu ({@code dial}, {@code hangup}, {@code accept}, ...); fails unless it is ok. */
    JsonNode command(String name, String params) {
        String token = setup.user() + "-" + tokens.incrementAndGet();
        Map<String, String> cmd = Map.of("command", name, "params", params, "token", token);
        try {
            byte[] json = JSON.writeValueAsBytes(cmd);
            OutputStream out = control.out();
            synchronized (out) {
                out.write((json.length + ":").getBytes(StandardCharsets.US_ASCII));
                out.write(json);
                out.write(',');
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("baresip " + setup.user() + " to answer " + name, Duration.ofSeconds(10),
                () -> responses.containsKey(token), this::diagnosis);
        JsonNode response = responses.get(token);
        if (!response.path("ok").asBoolean()) {
            throw new AssertionError("baresip refused " + name + " " + params + ": " + response + "\n" + diagnosis());
        }
        return response;
    }

    /** Everything baresip printed, SIP trace included. */
    String output() {
        return read(log);
    }

    List<JsonNode> events() {
        return List.copyOf(events);
    }

    String diagnosis() {
        String all = output();
        return "--- events of " + setup.user() + ": " + events.stream().map(BaresipPhone::type).toList()
                + "\n--- " + log + " (tail) ---\n" + all.substring(Math.max(0, all.length() - 6000));
    }

    private static String type(JsonNode event) {
        return event.path("type").asText();
    }

    /** Netstrings: {@code LENGTH:JSON,}, each an event or the response to a command (by its token). */
    private void readControl() {
        try (InputStream in = control.in()) {
            while (true) {
                int length = 0;
                int c;
                while ((c = in.read()) != ':') {
                    if (c < '0' || c > '9') {
                        return; // closed (or not a netstring: nothing more can be read)
                    }
                    length = length * 10 + (c - '0');
                }
                JsonNode node = JSON.readTree(in.readNBytes(length));
                in.read(); // the closing comma
                if (node.path("event").asBoolean()) {
                    events.add(node);
                } else if (node.path("response").asBoolean()) {
                    responses.put(node.path("token").asText(), node);
                }
            }
        } catch (IOException closed) {
            // the phone was closed
        }
    }

    /** A port free for UDP and TCP whose successor, baresip's TLS port, is free for TCP too. */
    private static int freeSipPort(String address) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort(address, Set.of());
            try (ServerSocket tls = new ServerSocket()) {
                tls.bind(new InetSocketAddress(address, port + 1));
                return port;
            } catch (IOException taken) {
                // the TLS port is taken: try another
            }
        }
        throw new IllegalStateException("no free SIP port pair on " + address);
    }

    /** A port free for UDP and TCP on this address at the moment of asking, and not one of {@code avoid}. */
    static int freePort(String address, Set<Integer> avoid) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(address, 0));
                if (avoid.contains(tcp.getLocalPort())) {
                    continue;
                }
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()))) {
                    return tcp.getLocalPort();
                } catch (IOException taken) {
                    // UDP side taken: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port on " + address);
    }

    private static String read(Path log) {
        return Processes.read(log, StandardCharsets.ISO_8859_1);
    }

    /** SIGTERM (baresip unregisters), then SIGKILL if it has not ended within 5 s. */
    @Override
    public void close() {
        control.close();
        Processes.stop(process);
    }
}
