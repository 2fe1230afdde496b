package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;

/**
 * A node that counts itself overloaded (its dispatcher-lag limit is set below any real lag) sheds new work at
 * once — REGISTER and initial INVITE get 503 with Retry-After — while a request of an existing dialog (a BYE whose
 * Route is the dialog's Record-Route) is still forwarded to the far end.
 */
class OverloadSheddingTest {
    private static final String SECRET = "overload-test-secret-" + UUID.randomUUID();
    @RegisterExtension
    static final SingleNode node = SingleNode.of("overload", List.of("alice@sip.test,pw", "bob@sip.test,pw"), List.of(
            "switchboard.cluster-secret = \"" + SECRET + "\"",
            "switchboard.security.overload.max-dispatcher-lag = 1ns",
            "switchboard.security.overload.sustained = 0s",
            "switchboard.security.overload.retry-after = 7s"));

    @Test
    void newWorkGets503WithRetryAfterWhileADialogsByeIsStillForwarded() throws IOException {
        try (DatagramSocket phone = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
             DatagramSocket farEnd = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0))) {
            phone.setSoTimeout(5000);
            farEnd.setSoTimeout(5000);
            String via = "Via: SIP/2.0/UDP 127.0.0.2:" + phone.getLocalPort() + ";branch=z9hG4bK";

            // the gauge counts from the moment the node serves: from then on every probe tick is late (the limit is
            // 1 ns), and each leaves three quarters of the share of new work taken until nothing is
            Await.until("the node to take no new work (its metric)", Duration.ofSeconds(20),
                    () -> admittedShare() == 0, () -> "switchboard_overload_admitted " + admittedShare());
            SipResponse register = exchange(phone, "REGISTER sip:sip.test SIP/2.0\r\n" + via + "reg1\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:alice@sip.test>;tag=r1\r\nTo: <sip:alice@sip.test>\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 REGISTER\r\n"
                    + "Contact: <sip:alice@127.0.0.2:" + phone.getLocalPort() + ">\r\nContent-Length: 0\r\n\r\n");
            assertEquals(503, register.status(), register.toString());
            assertEquals("7", register.header("retry-after").orElseThrow());

            SipResponse invite = exchange(phone, "INVITE sip:bob@sip.test SIP/2.0\r\n" + via + "inv1\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:carol@elsewhere.net>;tag=c1\r\nTo: <sip:bob@sip.test>\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 INVITE\r\n"
                    + "Contact: <sip:carol@127.0.0.2:" + phone.getLocalPort() + ">\r\nContent-Length: 0\r\n\r\n");
            assertEquals(503, invite.status(), invite.toString());
            assertEquals("7", invite.header("retry-after").orElseThrow());
            assertTrue(metric("switchboard_overload_refused_total", "gauge=\"dispatcher\"") >= 2,
                    "both refusals counted as the dispatcher's");
            assertEquals(0, metric("switchboard_overload_refused_total", "gauge=\"journal\""));

            // a dialog set up before: its BYE carries the Record-Route the node wrote for it, and goes through
            String callId = UUID.randomUUID().toString();
            String token = new Branches(SECRET).dialogToken(callId, "c2");
            send(phone, "BYE sip:bob@127.0.0.3:" + farEnd.getLocalPort() + " SIP/2.0\r\n" + via + "bye1\r\n"
                    + "Route: <sip:" + node.address() + ";lr;sb=" + token + ">\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:carol@elsewhere.net>;tag=c2\r\nTo: <sip:bob@sip.test>;tag=b2\r\n"
                    + "Call-ID: " + callId + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
            SipMessage forwarded = receive(farEnd);
            assertTrue(forwarded.isRequest() && forwarded.toString().startsWith("BYE "), forwarded.toString());
            assertEquals(callId, forwarded.callId());
        }
    }

    /** {@code switchboard_overload_admitted} from the node's /metrics (no token needed). */
    private static double admittedShare() {
        return metric("switchboard_overload_admitted", "");
    }

    /** The first sample of the node's /metrics with this name whose labels contain {@code label}. */
    private static double metric(String name, String label) {
        try {
            String base = Files.readString(node.work().resolve("data/management-url")).strip();
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{") && l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " " + label + " not exported:\n" + body));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The first response other than 100 Trying. */
    private static SipResponse exchange(DatagramSocket socket, String request) throws IOException {
        send(socket, request);
        SipResponse answer;
        do {
            answer = (SipResponse) receive(socket);
        } while (answer.status() == 100);
        return answer;
    }

    private static void send(DatagramSocket socket, String text) throws IOException {
        String[] hostPort = node.address().split(":");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
    }

    private static SipMessage receive(DatagramSocket socket) throws IOException {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return ((ParseResult.Parsed) SipParser.parse(Arrays.copyOf(p.getData(), p.getLength()))).message();
    }
}
