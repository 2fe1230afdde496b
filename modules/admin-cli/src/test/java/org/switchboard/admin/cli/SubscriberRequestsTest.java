package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The subscriber commands as requests on the wire (docs/admin-api.yaml) and what the user reads back. */
class SubscriberRequestsTest {
    static final String ALICE = "/admin/v1/subscribers/alice%40example.com";
    static final String ALICE_JSON = """
            {"aor":"sip:alice@example.com","username":"alice-auth","realm":"pbx.example.com","enabled":true,"sha256":true,
             "forwarding":{"onBusy":"sip:vm@example.com","onNoAnswer":"sip:vm@example.com","noAnswerSeconds":20},
             "limits":{"maxConcurrent":2},"bindings":1}""";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeNode node = FakeNode.started();

    private static JsonNode json(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    private static void assertAuthorized(FakeNode.Request request) {
        assertEquals(Optional.of("Bearer " + Cli.TOKEN), request.authorization());
    }

    @Test
    void addPutsThePasswordUnderTheEncodedAorAndShowsTheStoredAccount() throws IOException {
        node.answer("PUT", ALICE, 200, ALICE_JSON);
        Cli.Result r = Cli.at(node, dir, "subscriber", "add", "alice@example.com", "--password", "pw 1");
        assertEquals(0, r.code(), r.toString());
        FakeNode.Request put = node.onlyRequest();
        assertEquals("PUT", put.method());
        assertEquals(ALICE, put.rawPath());
        assertAuthorized(put);
        assertEquals(Optional.of("application/json"), put.contentType());
        assertEquals(json("{\"password\":\"pw 1\"}"), json(put.body()));
        assertEquals("""
                aor:         sip:alice@example.com
                username:    alice-auth
                realm:       pbx.example.com
                enabled:     yes
                sha-256:     yes (MD5 and SHA-256 digests)
                bindings:    1
                forwarding:  busy sip:vm@example.com, no answer sip:vm@example.com after 20 s
                limits:      max concurrent 2
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void addWithDigestsUsernameAndRealm() throws IOException {
        node.answer("PUT", "/admin/v1/subscribers/sip%3Aalice%40example.com", 200, ALICE_JSON);
        Cli.Result r = Cli.at(node, dir, "subscriber", "add", "sip:alice@example.com", "--ha1", "0123abcd",
                "--ha1-sha256", "4567ef", "--username", "alice-auth", "--realm", "pbx.example.com");
        assertEquals(0, r.code(), r.toString());
        FakeNode.Request put = node.onlyRequest();
        assertEquals("/admin/v1/subscribers/sip%3Aalice%40example.com", put.rawPath());
        assertEquals(json("{\"ha1\":\"0123abcd\",\"ha1Sha256\":\"4567ef\",\"username\":\"alice-auth\",\"realm\":\"pbx.example.com\"}"),
                json(put.body()));
    }

    @Test
    void aPasswordFromAFileIsItsFirstLineExactly() throws IOException {
        node.answer("PUT", ALICE, 200, ALICE_JSON);
        Files.writeString(dir.resolve("pw.txt"), " spaced pw \r\nsecond line\n");
        Cli.Result r = Cli.at(node, dir, "subscriber", "add", "alice@example.com", "--password-file", "pw.txt");
        assertEquals(0, r.code(), r.toString());
        assertEquals(json("{\"password\":\" spaced pw \"}"), json(node.onlyRequest().body()));
    }

    @Test
    void passwdTakesThePasswordFromStdinWithPasswordFileDash() throws IOException {
        node.answer("GET", ALICE, 200, ALICE_JSON).answer("PUT", ALICE, 200, ALICE_JSON);
        Cli.Result r = Cli.run(Map.of(), dir, "from stdin\nignored\n", "--url", node.url(), "--token", Cli.TOKEN,
                "subscriber", "passwd", "alice@example.com", "--password-file", "-");
        assertEquals(0, r.code(), r.toString());
        assertEquals("from stdin", json(node.requests().get(1).body()).path("password").asText());
    }

    @Test
    void aRejectedAddIsExit1WithTheNodesError() {
        node.answer("PUT", ALICE, 400, "{\"error\":\"ha1 must be 32 hex digits\"}");
        Cli.Result r = Cli.at(node, dir, "subscriber", "add", "alice@example.com", "--ha1", "xyz");
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals("switchboard-admin: ha1 must be 32 hex digits (400)\n", r.err());
    }

    @Test
    void showGetsTheSubscriberAndJsonPrintsTheAnswerAsIs() throws IOException {
        node.answer("GET", ALICE, 200, ALICE_JSON);
        Cli.Result table = Cli.at(node, dir, "subscriber", "show", "alice@example.com");
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().startsWith("aor:         sip:alice@example.com\n"), table.out());

        Cli.Result asJson = Cli.at(node, dir, "subscriber", "show", "alice@example.com", "--json");
        assertEquals(0, asJson.code(), asJson.toString());
        assertEquals(json(ALICE_JSON), json(asJson.out()));
        assertTrue(asJson.out().contains("\n  \"username\""), "indented: " + asJson.out());
        for (FakeNode.Request get : node.requests()) {
            assertEquals("GET", get.method());
            assertEquals(ALICE, get.rawPath());
            assertAuthorized(get);
        }
    }

    @Test
    void aMissingSubscriberIsExit1WithTheNodesErrorAndStatus() {
        node.answer("GET", ALICE, 404, "{\"error\":\"no such subscriber alice@example.com\"}");
        Cli.Result r = Cli.at(node, dir, "subscriber", "show", "alice@example.com");
        assertEquals(1, r.code(), r.toString());
        assertEquals("switchboard-admin: no such subscriber alice@example.com (404)\n", r.err());
    }

    @Test
    void passwdKeepsTheUsernameAndRealmAndNeverCreatesAnAccount() throws IOException {
        node.answer("GET", ALICE, 200, ALICE_JSON).answer("PUT", ALICE, 200, ALICE_JSON);
        Cli.Result r = Cli.at(node, dir, "subscriber", "passwd", "alice@example.com", "--password", "new-pw");
        assertEquals(0, r.code(), r.toString());
        assertEquals("password changed for alice@example.com\n", r.out());
        List<FakeNode.Request> requests = node.requests();
        assertEquals(List.of("GET", "PUT"), requests.stream().map(FakeNode.Request::method).toList());
        assertEquals(json("{\"password\":\"new-pw\",\"username\":\"alice-auth\",\"realm\":\"pbx.example.com\"}"),
                json(requests.get(1).body()));

        FakeNode other = new FakeNode().answer("GET", "/admin/v1/subscribers/bob%40example.com", 404,
                "{\"error\":\"no such subscriber bob@example.com\"}");
        try (other) {
            Cli.Result missing = Cli.at(other, dir, "subscriber", "passwd", "bob@example.com", "--password", "pw");
            assertEquals(1, missing.code(), missing.toString());
            assertEquals("switchboard-admin: no such subscriber bob@example.com (404)\n", missing.err());
            assertEquals(1, other.requests().size(), "no PUT after the 404: " + other.requests());
        }
    }

    @Test
    void disableEnableAndDeleteAreThePostsAndTheDelete() {
        node.accept("POST", ALICE + "/disable").accept("POST", ALICE + "/enable").accept("DELETE", ALICE);
        assertEquals("disabled alice@example.com\n", Cli.at(node, dir, "subscriber", "disable", "alice@example.com").out());
        assertEquals("enabled alice@example.com\n", Cli.at(node, dir, "subscriber", "enable", "alice@example.com").out());
        Cli.Result deleted = Cli.at(node, dir, "subscriber", "delete", "alice@example.com");
        assertEquals(0, deleted.code(), deleted.toString());
        assertEquals("deleted alice@example.com\n", deleted.out());
        assertEquals(List.of("POST " + ALICE + "/disable", "POST " + ALICE + "/enable", "DELETE " + ALICE),
                node.requests().stream().map(q -> q.method() + " " + q.rawPath()).toList());
        node.requests().forEach(SubscriberRequestsTest::assertAuthorized);
    }

    @Test
    void forwardReplacesEveryRule() throws IOException {
        node.accept("PUT", ALICE + "/forwarding");
        Cli.Result r = Cli.at(node, dir, "subscriber", "forward", "alice@example.com", "--always", "sip:desk@example.com",
                "--busy", "sip:vm@example.com", "--no-answer", "sip:mobile@example.com", "--after", "15",
                "--unavailable", "sip:vm@example.com");
        assertEquals(0, r.code(), r.toString());
        assertEquals(json("""
                {"unconditional":"sip:desk@example.com","onBusy":"sip:vm@example.com","onNoAnswer":"sip:mobile@example.com",
                 "noAnswerSeconds":15,"onUnavailable":"sip:vm@example.com"}"""), json(node.onlyRequest().body()));
        assertTrue(r.out().contains("no answer sip:mobile@example.com after 15 s"), r.out());
    }

    @Test
    void forwardWithoutRulesRemovesThem() throws IOException {
        node.accept("PUT", ALICE + "/forwarding");
        Cli.Result r = Cli.at(node, dir, "subscriber", "forward", "alice@example.com");
        assertEquals(0, r.code(), r.toString());
        assertEquals(json("{}"), json(node.onlyRequest().body()));
        assertEquals("forwarding of alice@example.com: none\n", r.out());
    }

    @Test
    void limitsPutsOnlyTheLimitsGiven() throws IOException {
        node.accept("PUT", ALICE + "/limits");
        Cli.Result r = Cli.at(node, dir, "subscriber", "limits", "alice@example.com", "--max-per-minute", "0");
        assertEquals(0, r.code(), r.toString());
        FakeNode.Request put = node.onlyRequest();
        assertEquals(ALICE + "/limits", put.rawPath());
        assertEquals(json("{\"maxPerMinute\":0}"), json(put.body()));
        assertEquals("limits of alice@example.com: max per minute unlimited\n", r.out());
    }

    @Test
    void importPostsTheCsvAndListsTheFailedLinesWithExit1() throws IOException {
        String csv = "aor,password\nalice@example.com,pw\nbob,pw\ncarol@example.com,pw\n";
        Files.writeString(dir.resolve("subs.csv"), csv);
        node.answer("POST", "/admin/v1/subscribers/import", 200, """
                {"created":1,"updated":1,"unchanged":0,"failed":1,"lines":[
                 {"line":2,"aor":"alice@example.com","result":"created"},
                 {"line":3,"aor":"bob","result":"failed","error":"not user@domain"},
                 {"line":4,"aor":"carol@example.com","result":"updated"}]}""");
        Cli.Result r = Cli.at(node, dir, "subscriber", "import", "subs.csv");
        assertEquals(1, r.code(), r.toString());
        assertEquals("""
                LINE  AOR  ERROR
                3     bob  not user@domain
                created 1, updated 1, unchanged 0, failed 1
                """, r.out());
        assertEquals("switchboard-admin: 1 line of subs.csv failed\n", r.err());
        FakeNode.Request post = node.onlyRequest();
        assertEquals("POST", post.method());
        assertEquals(Optional.of("text/csv; charset=utf-8"), post.contentType());
        assertEquals(csv, post.body());
        assertAuthorized(post);
    }

    @Test
    void anImportWithoutFailuresIsExit0AndReadsStdinForDash() {
        node.answer("POST", "/admin/v1/subscribers/import", 200, """
                {"created":0,"updated":0,"unchanged":1,"failed":0,"lines":[{"line":2,"aor":"alice@example.com","result":"unchanged"}]}""");
        Cli.Result r = Cli.run(Map.of(), dir, "aor,password\nalice@example.com,pw\n",
                "--url", node.url(), "--token", Cli.TOKEN, "subscriber", "import", "-");
        assertEquals(0, r.code(), r.toString());
        assertEquals("created 0, updated 0, unchanged 1, failed 0\n", r.out());
        assertEquals("aor,password\nalice@example.com,pw\n", node.onlyRequest().body());
    }

    @Test
    void exportWritesTheCsvOwnerOnlyOrToStdout() throws IOException {
        String csv = "aor,username,realm,ha1,ha1_sha256,enabled\nsip:alice@example.com,alice,example.com,0123,4567,true\n";
        node.answerCsv("GET", "/admin/v1/subscribers/export", csv);
        Cli.Result toFile = Cli.at(node, dir, "subscriber", "export", "out.csv");
        assertEquals(0, toFile.code(), toFile.toString());
        assertEquals("exported 1 subscriber to out.csv\n", toFile.out());
        assertEquals(csv, Files.readString(dir.resolve("out.csv")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out.csv"))));

        Cli.Result toStdout = Cli.at(node, dir, "subscriber", "export", "-");
        assertEquals(0, toStdout.code(), toStdout.toString());
        assertEquals(csv, toStdout.out());
        assertEquals("", toStdout.err());
    }

    @Test
    void aWrongTokenIsExit1SayingWhereTheTokenCameFromButNotTheToken() {
        node.answer("GET", ALICE, 401, "{\"error\":\"wrong or missing admin token\"}");
        Cli.Result r = Cli.at(node, dir, "subscriber", "show", "alice@example.com");
        assertEquals(1, r.code(), r.toString());
        assertEquals("switchboard-admin: wrong or missing admin token (401); the token came from --token\n", r.err());
    }
}
