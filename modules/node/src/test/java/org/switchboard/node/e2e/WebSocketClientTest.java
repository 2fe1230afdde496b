package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipRequest;

/**
 * A WebRTC client no one here wrote — JsSIP in headless Chromium (see src/test/resources/jssip/call.js) — registers
 * as alice over WebSocket (clear, and TLS) with digest authentication, and calls bob, a UDP phone, through the node:
 * the INVITE (answered 407 first) reaches bob, bob answers 200 with an SDP answer the browser's RTCPeerConnection
 * accepts, JsSIP acknowledges it, then hangs up and gets the BYE's 200. Signalling only: bob's answer names no real
 * media endpoint. JsSIP ignores all but MD5 challenges (it reads the last one offered), so the node offers MD5 only.
 */
class WebSocketClientTest {
    private static final Duration BROWSER = Duration.ofSeconds(90);
    private static final Path JSSIP = Path.of("target", "jssip").toAbsolutePath();
    private static TestNode node;
    private static int wsPort;
    private static int wssPort;

    @BeforeAll
    static void start() {
        installJsSip();
        wsPort = FreePorts.udpAndTcp();
        wssPort = FreePorts.udpAndTcp();
        Path certs = TestFiles.workDir("jssip-certs");
        TestCertificates.NodeFiles tls = TestCertificates.authority(certs, "test-ca").issue("wss", "127.0.0.1");
        node = TestNode.start("jssip", List.of("alice@sip.test,pw", "bob@sip.test,pw"), List.of(
                "switchboard.sip.ws.port = " + wsPort,
                "switchboard.sip.wss { port = " + wssPort + ", certificate = \"" + tls.certificate()
                        + "\", private-key = \"" + tls.privateKey() + "\" }",
                "switchboard.registrar.digest-algorithms = [MD5]",
                // Chromium starting beside the node on a small shared machine delays the node's dispatcher: this
                // test is about signalling, not overload shedding (OverloadSheddingTest), so nothing is shed (503)
                "switchboard.security.overload.enabled = off"));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.process().close();
        }
    }

    @Test
    void jsSipRegistersOverWebSocketAndCallsAUdpPhone() throws Exception {
        call("ws://127.0.0.1:" + wsPort, "WS");
    }

    @Test
    void jsSipRegistersOverSecureWebSocketAndCallsAUdpPhone() throws Exception {
        call("wss://127.0.0.1:" + wssPort, "WSS");
    }

    private void call(String url, String viaTransport) throws Exception {
        try (DialogPhone bob = new DialogPhone("bob", node.address())) {
            assertEquals(200, bob.register().status(), "bob registers over UDP");
            Path work = TestFiles.workDir("jssip-" + viaTransport.toLowerCase());
            Path out = work.resolve("call.out");
            ProcessBuilder browser = new ProcessBuilder("node", "call.js", url, "alice", "pw", TestFiles.DOMAIN,
                    "sip:bob@sip.test").directory(JSSIP.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            browser.environment().put("JSSIP_WORK", work.toString()); // Chromium's fresh profile goes there
            Process js = browser.start();
            try {
                Await.until("JsSIP to register over " + viaTransport, BROWSER,
                        () -> output(out).contains("EVENT registered") || !js.isAlive(), () -> output(out));
                assertTrue(output(out).contains("EVENT registered"), output(out));
                assertTrue(output(out).contains("RECV SIP/2.0 401"), "digest: challenged first\n" + output(out));

                SipRequest invite = bob.awaitRequest("INVITE");
                List<String> vias = invite.headers("via");
                assertTrue(vias.get(0).startsWith("SIP/2.0/UDP 127.0.0.1:" + node.address().split(":")[1]),
                        "our Via toward bob names the SIP port, not the WebSocket one: " + vias);
                assertTrue(vias.get(1).startsWith("SIP/2.0/" + viaTransport + " ") && vias.get(1).contains(".invalid"),
                        "JsSIP's own Via: " + vias);
                List<String> recordRoutes = invite.headers("record-route");
                assertEquals(2, recordRoutes.size(), "double Record-Route: " + recordRoutes);
                assertTrue(recordRoutes.get(1).contains("transport=ws"), "JsSIP's side names WS: " + recordRoutes);
                String offer = new String(invite.body(), StandardCharsets.UTF_8);
                assertTrue(offer.contains("a=fingerprint:"), "a WebRTC offer:\n" + offer);

                bob.answer(invite, 180, "Ringing");
                bob.answer(invite, 200, "OK", List.of(), "application/sdp", WebRtcAnswer.to(offer));
                bob.awaitRequest("ACK");
                SipRequest bye = bob.awaitRequest("BYE");
                bob.answer(bye, 200, "OK");

                assertTrue(js.waitFor(BROWSER.toSeconds(), TimeUnit.SECONDS), "JsSIP did not finish\n" + output(out));
                String log = output(out);
                assertEquals(0, js.exitValue(), log);
                assertTrue(log.contains("RECV SIP/2.0 407"), "the INVITE was challenged\n" + log);
                assertTrue(log.contains("EVENT accepted 200"), log);
                assertTrue(log.contains("EVENT confirmed"), "JsSIP took bob's answer and sent the ACK\n" + log);
                assertTrue(log.lines().anyMatch(l -> l.startsWith("SENT ACK ")), log);
                assertTrue(log.contains("EVENT ended local Terminated") && !log.contains("EVENT failed"),
                        "the call ended by JsSIP's own hang-up, not by a rejected answer\n" + log);
                assertTrue(log.lines().anyMatch(l -> l.startsWith("RECV SIP/2.0 200 OK |") && l.endsWith(" BYE")),
                        "the BYE's 200 came back over the WebSocket\n" + log);
            } finally {
                js.destroyForcibly();
            }
        }
    }

    private static String output(Path out) {
        try {
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** JsSIP, esbuild and playwright-core from the npm registry, pinned by the committed lock, under target/. */
    private static void installJsSip() {
        try {
            Files.createDirectories(JSSIP);
            for (String file : List.of("package.json", "package-lock.json", "call.js")) {
                try (InputStream in = WebSocketClientTest.class.getResourceAsStream("/jssip/" + file)) {
                    Files.copy(in, JSSIP.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.isDirectory(JSSIP.resolve("node_modules/jssip"))) {
                return;
            }
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JSSIP.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new AssertionError("npm ci failed in " + JSSIP + ":\n" + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("node and npm are needed for the JsSIP test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
