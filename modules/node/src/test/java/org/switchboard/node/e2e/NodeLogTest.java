package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.auth.Digest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The node's log as an operator reads it, from a node in its own JVM with SIPp as the phones: lines dated with their
 * zone, one line per registration change and per call outcome carrying the AOR or Call-ID, one per failed login,
 * never a password, HA1 or Authorization header; and the same as one JSON object per line with
 * switchboard.logging.format = json.
 */
class NodeLogTest {
    private static final Pattern DATED = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) (INFO|WARN|ERROR|DEBUG) .*");
    /**
     * SIPp's caller does not authenticate here (ProxyPolicyTest covers callers' digest); no load shedding (a busy
     * machine would have the node answer 503 instead of the lines this test reads).
     */
    private static final String CALLERS_UNCHECKED = "switchboard.proxy.authenticate-callers = off\n"
            + "switchboard.security.overload.enabled = off";

    @Test
    void textLinesAreDatedAndNameTheCallOrRegistrationTheyAreAbout() {
        TestNode node = TestNode.start("log-text", List.of("alice@sip.test,alicepw", "bob@sip.test,bobpw"),
                List.of(CALLERS_UNCHECKED));
        try {
            String output = exerciseNode(node);
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            assertTrue(lines.stream().allMatch(l -> DATED.matcher(l).matches() || l.startsWith("\t") || l.startsWith(" ")
                            || l.startsWith("[") || !Character.isDigit(l.charAt(0))),
                    "every logback line starts with an ISO 8601 time and zone:\n" + node.process().tail());
            assertTrue(lines.stream().anyMatch(l -> DATED.matcher(l).matches() && l.contains("binding added contact=sip:bob@")
                    && l.endsWith(" aor=sip:bob@sip.test")), output);
            assertTrue(lines.stream().anyMatch(l -> l.contains("authentication failed method=REGISTER")
                    && l.endsWith(" aor=sip:alice@sip.test")), output);
            String answered = lines.stream().filter(l -> l.contains("call answered from=<sip:caller@sip.test>;tag="))
                    .findFirst().orElseThrow(() -> new AssertionError("no call answered line:\n" + output));
            String callId = answered.substring(answered.lastIndexOf(" callId=") + " callId=".length());
            assertTrue(DATED.matcher(answered).matches() && callId.contains("@"), answered);
            assertTrue(lines.stream().anyMatch(l -> l.contains("call ended cause=\"BYE 200\" by=caller duration=")
                    && l.endsWith(" callId=" + callId)), output);
            // on any number of cores: an ask's completion runs on the common pool, not on a thread started for it
            assertTrue(lines.stream().noneMatch(l -> l.contains("common pool has one worker")), output);
            assertNoSecrets(output);
        } finally {
            node.process().close();
        }
    }

    @Test
    void jsonLinesCarryTheSameWithTheCallIdAndAorInTheirMdc() throws IOException {
        TestNode node = TestNode.start("log-json", List.of("alice@sip.test,alicepw", "bob@sip.test,bobpw"),
                List.of(CALLERS_UNCHECKED, "switchboard.logging.format = json"));
        try {
            String output = exerciseNode(node);
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> events = new java.util.ArrayList<>();
            for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) {
                events.add(json.readTree(line)); // each line is a whole JSON object, or this throws
            }
            assertTrue(events.size() > 5, output);
            assertTrue(events.stream().anyMatch(e -> e.path("formattedMessage").asText().startsWith("Switchboard ready")), output);
            assertTrue(events.stream().anyMatch(e -> e.path("formattedMessage").asText().startsWith("binding added")
                    && e.path("mdc").path("aor").asText().equals("sip:bob@sip.test")), output);
            assertTrue(events.stream().anyMatch(e -> e.path("formattedMessage").asText().startsWith("call answered")
                    && e.path("mdc").path("callId").asText().contains("@127.0.0.1")), output);
            assertTrue(events.stream().allMatch(e -> e.path("timestamp").isNumber() && e.has("level")), output);
            assertNoSecrets(output);
        } finally {
            node.process().close();
        }
    }

    /** A wrong password (alice), a good REGISTER (bob), a call to bob ended by its caller; the node's output. */
    private static String exerciseNode(TestNode node) {
        int port = Integer.parseInt(node.address().split(":")[1]);
        try (UdpPhone wrong = new UdpPhone(port)) {
            int status = wrong.registerWithAuth("alice", "alice", "not-alicepw", Optional.empty(), Optional.empty()).status();
            assertTrue(status == 401 || status == 403, "a wrong password is refused: " + status);
        }
        int bobPort = AdminApiTest.register(node.work(), node.address(), "bob", "bobpw", 200, node.process()::tail);
        CallScenariosTest.call(node.work(), node.address(), node.process(), List.of("SEQUENTIAL", "bob;sip.test"), "bob",
                Sipp.scenario("uac_call.xml"), 1, new CallScenariosTest.Callee(Sipp.scenario("uas_call.xml"), bobPort));
        Await.until("the call's end in the log", java.time.Duration.ofSeconds(10),
                () -> node.process().output().contains("call ended"), node.process()::tail);
        return node.process().output();
    }

    private static void assertNoSecrets(String output) {
        for (String secret : List.of("alicepw", "bobpw", "not-alicepw", "Authorization", "response=\"",
                Digest.ha1(Digest.Algorithm.MD5, "alice", "sip.test", "alicepw"),
                Digest.ha1(Digest.Algorithm.MD5, "bob", "sip.test", "bobpw"))) {
            assertFalse(output.contains(secret), "the log shows " + secret);
        }
    }
}
