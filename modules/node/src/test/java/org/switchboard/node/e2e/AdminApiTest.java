package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.auth.Digest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The admin API over real HTTP against a node in its own JVM, with SIPp as the phones: a subscriber provisioned
 * while the node runs registers at once, a disabled one is refused, a bulk import reports per line, an export
 * gives the digests back, the operator removes a binding and hangs up a live call with BYEs to both sides.
 */
class AdminApiTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    @RegisterExtension
    static final SingleNode node = SingleNode.of("admin-api", List.of("bob@sip.test,pw", "hung@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    private static AdminHttp admin() {
        return AdminHttp.of(node.work().resolve("data"));
    }

    @Test
    void onlyTheBearerOfTheTokenIsAnsweredAndTheTokenFileIsTheOwnersAlone() throws Exception {
        assertEquals(401, admin().withToken("").get("/subscribers/bob@sip.test").status());
        assertEquals(401, admin().withToken("not-the-token-not-the-token").get("/subscribers/bob@sip.test").status());
        assertEquals(200, admin().get("/subscribers/bob@sip.test").status());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(node.work().resolve("data/admin-token"))));
    }

    @Test
    void aSubscriberAddedWhileTheNodeRunsRegistersAtOnceAndIsRefusedOnceDisabled() {
        AdminHttp admin = admin();
        assertEquals(404, admin.get("/subscribers/carol@sip.test").status());
        AdminHttp.Answer added = admin.put("/subscribers/" + AdminHttp.encoded("sip:carol@sip.test"),
                "{\"password\":\"carolpw\"}");
        assertEquals(200, added.status(), added.body());
        assertEquals("carol", added.json().path("username").asText());
        assertEquals("sip.test", added.json().path("realm").asText());
        assertTrue(added.json().path("enabled").asBoolean());
        assertFalse(added.body().contains("ha1"), "a subscriber's digests are not shown: " + added.body());

        int port = register("carol", "carolpw", 200);
        JsonNode regs = admin.get("/registrations/carol@sip.test").json();
        assertEquals("REGISTERED", regs.path("status").asText(), regs.toString());
        JsonNode binding = regs.path("bindings").get(0);
        assertEquals("sip:carol@127.0.0.1:" + port, binding.path("contact").asText().replaceAll("[<>]", ""));
        assertEquals("127.0.0.1:" + port, binding.path("source").asText());
        assertEquals("UDP", binding.path("transport").asText());
        assertTrue(binding.path("expires").asInt() > 0, binding.toString());
        assertFalse(binding.path("transportNode").asText().isEmpty(), binding.toString());
        assertEquals(1, admin.get("/subscribers/carol@sip.test").json().path("bindings").asInt());

        assertEquals(204, admin.post("/subscribers/carol@sip.test/disable", "application/json", "").status());
        assertFalse(admin.get("/subscribers/carol@sip.test").json().path("enabled").asBoolean());
        register("carol", "carolpw", 403);
        assertEquals(204, admin.post("/subscribers/carol@sip.test/enable", "application/json", "").status());
        register("carol", "carolpw", 200);

        assertEquals(204, admin.delete("/registrations/carol@sip.test").status());
        assertEquals("NOT_REGISTERED", admin.get("/registrations/carol@sip.test").json().path("status").asText());
        assertEquals(204, admin.delete("/subscribers/carol@sip.test").status());
        assertEquals(404, admin.get("/subscribers/carol@sip.test").status());
        assertEquals(404, admin.delete("/subscribers/carol@sip.test").status());
    }

    @Test
    void anImportReportsEveryLineAndAnExportGivesBackWhatAnotherNodeCanImport() {
        AdminHttp admin = admin();
        String md5 = Digest.ha1(Digest.Algorithm.MD5, "kam", "sip.test", "kampw");
        String csv = "aor,password,ha1,enabled\r\n"
                + "dave@sip.test,\"pw,with,commas\",,true\r\n"
                + "kam@sip.test,," + md5 + ",\r\n"
                + "erin@sip.test,,,\r\n"
                + "not an aor,pw,,\r\n"
                + "frank@sip.test,pw,,maybe\r\n"
                + "grace@sip.test,\"pw \"\"quoted\"\"\",,\r\n";
        AdminHttp.Answer report = admin.post("/subscribers/import", "text/csv", csv);
        assertEquals(200, report.status(), report.body());
        JsonNode r = report.json();
        assertEquals(3, r.path("created").asInt(), report.body());
        assertEquals(3, r.path("failed").asInt(), report.body());
        Map<Integer, String> results = Map.of(2, "created", 3, "created", 4, "failed", 5, "failed", 6, "failed",
                7, "created");
        for (JsonNode line : r.path("lines")) {
            assertEquals(results.get(line.path("line").asInt()), line.path("result").asText(), line.toString());
        }
        assertTrue(r.path("lines").get(2).path("error").asText().contains("neither password nor ha1"), report.body());
        assertEquals("unchanged", admin.post("/subscribers/import", "text/csv", csv).json()
                .path("lines").get(0).path("result").asText(), "an import is idempotent");

        // the imported digest authenticates; MD5 only, so no SHA-256 is offered to it
        register("kam", "kampw", 200);
        register("dave", "pw,with,commas", 200);

        AdminHttp.Answer export = admin.get("/subscribers/export");
        assertEquals(200, export.status());
        List<String> lines = export.body().lines().toList();
        assertEquals("aor,username,realm,ha1,ha1_sha256,enabled", lines.get(0));
        assertTrue(lines.contains("kam@sip.test,kam,sip.test," + md5 + ",,true"), export.body());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("grace@sip.test,grace,sip.test,"
                + Digest.ha1(Digest.Algorithm.MD5, "grace", "sip.test", "pw \"quoted\"") + ",")), export.body());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bob@sip.test,bob,sip.test,"
                + Digest.ha1(Digest.Algorithm.MD5, "bob", "sip.test", "pw") + ",")), export.body());
        JsonNode again = admin.post("/subscribers/import", "text/csv", export.body()).json();
        assertEquals(0, again.path("failed").asInt(), again.toString());
        assertEquals(0, again.path("created").asInt() + again.path("updated").asInt(), again.toString());

        JsonNode counts = admin.get("/registrations").json();
        assertTrue(counts.path("subscribers").asInt() >= 4, counts.toString());
    }

    @Test
    void theOperatorHangsUpALiveCallWithAByeToEachSide() {
        int uasPort = CallScenariosTest.register(node, "hung");
        Path csv = TestFiles.write(node.work().resolve("callee-hung.csv"), List.of("SEQUENTIAL", "hung;sip.test"));
        Path uacScenario = Sipp.testScenario(node.work(), "uac_session_expires.xml", Map.of("SE", "1800"));
        Path uasScenario = Sipp.testScenario(node.work(), "uas_session_expires.xml", Map.of());
        AdminHttp admin = admin();
        try (Sipp callee = Sipp.start(node.work(), "uas-hung", null, uasScenario, uasPort, "-m", "1", "-trace_msg");
             Sipp caller = Sipp.start(node.work(), "uac-hung", node.address(), uacScenario, FreePorts.udpAndTcp(),
                     "-inf", csv.toString(), "-m", "1", "-trace_msg")) {
            JsonNode[] up = new JsonNode[1];
            Await.until("the call is listed as up", Duration.ofSeconds(15), () -> {
                JsonNode calls = admin.get("/calls").json().path("calls");
                up[0] = StreamSupport.stream(calls.spliterator(), false)
                        .filter(c -> c.path("to").asText().contains("hung@sip.test")).findFirst().orElse(null);
                return up[0] != null;
            }, () -> admin.get("/calls").body() + node.process().tail());
            String callId = up[0].path("callId").asText();
            assertEquals("answered", up[0].path("state").asText());
            assertFalse(up[0].path("node").asText().isEmpty());
            assertEquals(200, admin.get("/calls/" + AdminHttp.encoded(callId)).status());

            assertEquals(204, admin.delete("/calls/" + AdminHttp.encoded(callId)).status());
            Sipp.Result c = caller.await(SIPP);
            Sipp.Result u = callee.await(SIPP);
            assertEquals(1, c.successful(), "the caller got the BYE: " + c.diagnosis());
            assertEquals(1, u.successful(), "the callee got the BYE: " + u.diagnosis());
            assertEquals(409, admin.delete("/calls/" + AdminHttp.encoded(callId)).status(), "it is no longer up");
            assertEquals("ended", admin.get("/calls/" + AdminHttp.encoded(callId)).json().path("state").asText());
            assertTrue(StreamSupport.stream(admin.get("/calls").json().path("calls").spliterator(), false)
                    .noneMatch(x -> x.path("callId").asText().equals(callId)));
        }
        assertEquals(404, admin.delete("/calls/no-such-call@nowhere").status());
    }

    @Test
    void theClusterViewNamesThisNodeItsShardsAndAHealthyJournal() {
        JsonNode cluster = admin().get("/cluster").json();
        assertEquals(1, cluster.path("members").size(), cluster.toString());
        assertEquals("Up", cluster.path("members").get(0).path("status").asText());
        assertTrue(cluster.path("journal").path("healthy").asBoolean(), cluster.toString());
        assertTrue(StreamSupport.stream(cluster.path("regions").spliterator(), false)
                .anyMatch(r -> r.path("type").asText().equals("Registration") && r.path("entities").asInt() > 0),
                cluster.toString());
    }

    private static int register(String user, String password, int status) {
        return register(node, user, password, status);
    }

    /** One REGISTER with digest auth from a fresh SIPp; the final status must be {@code status}. */
    static int register(SingleNode node, String user, String password, int status) {
        return register(node.work(), node.address(), user, password, status, node.process()::tail);
    }

    /** {@link #register(SingleNode, String, String, int)} through the node at {@code address}. */
    static int register(Path work, String address, String user, String password, int status,
                        java.util.function.Supplier<String> logs) {
        int port = FreePorts.udpAndTcp();
        Path csv = TestFiles.write(work.resolve(user + "-" + port + ".csv"), List.of("SEQUENTIAL",
                user + ";sip.test;[authentication username=" + user + " password=" + password + "]"));
        Path scenario = Sipp.testScenario(work, "reg_check.xml", Map.of("CONTACT",
                "<sip:" + user + "@127.0.0.1:" + port + ">", "EXPIRES", "600", "FINAL", Integer.toString(status),
                "MATCH", "SIP/2.0 " + status, "NOMATCH", "^$NEVER"));
        Sipp.Result r = Sipp.run(work, "reg-" + user + "-" + port, address, scenario, port, SIPP,
                "-inf", csv.toString(), "-m", "1", "-trace_msg");
        assertEquals(1, r.successful(), r.diagnosis() + logs.get());
        return port;
    }
}
