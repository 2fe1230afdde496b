package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** registrations, calls, call, hangup and cluster: the requests (docs/admin-api.yaml) and the tables. */
class CallAndClusterRequestsTest {
    private static final String CALL_ID = "a84b4c76e66710@pc33.atlanta.com";
    private static final String CALL_PATH = "/admin/v1/calls/a84b4c76e66710%40pc33.atlanta.com";
    private static final String CALL_JSON = """
            {"callId":"a84b4c76e66710@pc33.atlanta.com","from":"sip:alice@example.com","to":"sip:bob@example.com",
             "state":"answered","node":"akka://switchboard@127.0.0.1:2552","answeredAt":"2026-12-06T15:00:00Z","age":125,
             "caller":"sip:alice@192.0.2.10:5060","callee":"sip:bob@192.0.2.20:5060","sessionExpires":1700}""";

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeNode node = FakeNode.started();

    @Test
    void registrationsWithoutAorAreTheCounts() {
        node.answer("GET", "/admin/v1/registrations", 200, "{\"subscribers\":10000,\"registered\":7,\"bindings\":9}");
        Cli.Result r = Cli.at(node, dir, "registrations");
        assertEquals(0, r.code(), r.toString());
        assertEquals("subscribers:  10000\nregistered:   7\nbindings:     9\n", r.out());
        assertEquals(Optional.of("Bearer " + Cli.TOKEN), node.onlyRequest().authorization());
    }

    @Test
    void registrationsOfAnAorAreItsBindingsInAlignedColumns() {
        node.answer("GET", "/admin/v1/registrations/alice%40example.com", 200, """
                {"aor":"sip:alice@example.com","status":"REGISTERED","bindings":[
                 {"contact":"sip:alice@192.0.2.10:5060;transport=tcp","q":1.0,"expires":3599,"expiresAt":"2026-12-06T16:00:00Z",
                  "updatedAt":"2026-12-06T15:00:00Z","transport":"TCP","source":"192.0.2.10:40312","userAgent":"baresip 1.0.0",
                  "transportNode":"akka://switchboard@127.0.0.1:2552"},
                 {"contact":"sip:alice@198.51.100.7:5062","q":0.5,"expires":42,"expiresAt":"2026-12-06T15:01:00Z",
                  "updatedAt":"2026-12-06T15:00:00Z","transport":"UDP","source":"198.51.100.7:5062"}]}""");
        Cli.Result r = Cli.at(node, dir, "registrations", "alice@example.com");
        assertEquals(0, r.code(), r.toString());
        assertEquals("""
                sip:alice@example.com  REGISTERED  2 bindings
                CONTACT                                  Q    EXPIRES  TRANSPORT  SOURCE             NODE                               USER-AGENT
                sip:alice@192.0.2.10:5060;transport=tcp  1.0  59m59s   TCP        192.0.2.10:40312   akka://switchboard@127.0.0.1:2552  baresip 1.0.0
                sip:alice@198.51.100.7:5062              0.5  42s      UDP        198.51.100.7:5062  -                                  -
                """, r.out());
    }

    @Test
    void anAorWithoutBindingsSaysSoWithoutAnEmptyTable() {
        node.answer("GET", "/admin/v1/registrations/bob%40example.com", 200,
                "{\"aor\":\"sip:bob@example.com\",\"status\":\"NOT_REGISTERED\",\"bindings\":[]}");
        Cli.Result r = Cli.at(node, dir, "registrations", "bob@example.com");
        assertEquals(0, r.code(), r.toString());
        assertEquals("sip:bob@example.com  NOT_REGISTERED  0 bindings\n", r.out());
    }

    @Test
    void removeDeletesOneEncodedContactOrAll() {
        String path = "/admin/v1/registrations/alice%40example.com";
        node.accept("DELETE", path);
        Cli.Result one = Cli.at(node, dir, "registrations", "alice@example.com", "--remove", "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>");
        assertEquals(0, one.code(), one.toString());
        Cli.Result all = Cli.at(node, dir, "registrations", "alice@example.com", "--remove");
        assertEquals(0, all.code(), all.toString());
        assertEquals("removed every binding of alice@example.com\n", all.out());
        List<FakeNode.Request> requests = node.requests();
        assertEquals(2, requests.size());
        assertEquals("DELETE", requests.get(0).method());
        assertEquals(path, requests.get(0).rawPath());
        assertEquals(Optional.of("contact=%3Curn%3Auuid%3A00000000-0000-1000-8000-000A95A0E128%3E"), requests.get(0).rawQuery());
        assertEquals(Optional.empty(), requests.get(1).rawQuery());
    }

    @Test
    void callsAreATableAndNoCallsAreSaidInWords() throws IOException {
        node.answer("GET", "/admin/v1/calls", 200, "{\"calls\":[" + CALL_JSON + "]}");
        Cli.Result r = Cli.at(node, dir, "calls");
        assertEquals(0, r.code(), r.toString());
        assertEquals("""
                CALL-ID                          FROM                   TO                   AGE    NODE
                a84b4c76e66710@pc33.atlanta.com  sip:alice@example.com  sip:bob@example.com  2m05s  akka://switchboard@127.0.0.1:2552
                1 call up
                """, r.out());
        assertEquals("GET", node.onlyRequest().method());

        FakeNode idle = new FakeNode().answer("GET", "/admin/v1/calls", 200, "{\"calls\":[]}");
        try (idle) {
            assertEquals("no calls up\n", Cli.at(idle, dir, "calls").out());
        }
    }

    @Test
    void watchAsksAgainEachRoundAndStopsAfterCount() {
        node.answer("GET", "/admin/v1/calls", 200, "{\"calls\":[]}");
        long start = System.nanoTime();
        Cli.Result r = Cli.at(node, dir, "calls", "--watch", "--count", "2");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, node.requests().size());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("calls at ")).count(), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.equals("no calls up")).count(), r.out());
        assertTrue(elapsedMillis >= CallsCommand.WATCH_INTERVAL_MILLIS, "rounds 2 s apart, took " + elapsedMillis + " ms");
    }

    @Test
    void watchWithJsonPrintsEachAnswer() throws IOException {
        node.answer("GET", "/admin/v1/calls", 200, "{\"calls\":[" + CALL_JSON + "]}");
        Cli.Result r = Cli.at(node, dir, "--json", "calls", "--watch", "--count", "1");
        assertEquals(0, r.code(), r.toString());
        assertEquals(new ObjectMapper().readTree("{\"calls\":[" + CALL_JSON + "]}"), new ObjectMapper().readTree(r.out()));
    }

    @Test
    void aListThatMayBeIncompleteSaysSo() {
        node.answer("GET", "/admin/v1/calls", 200, "{\"calls\":[],\"partial\":true}");
        Cli.Result r = Cli.at(node, dir, "calls");
        assertEquals("the list may be incomplete: the node is still catching up with the journal\nno calls up\n", r.out());
    }

    @Test
    void oneCallByItsEncodedCallId() {
        node.answer("GET", CALL_PATH, 200, CALL_JSON);
        Cli.Result r = Cli.at(node, dir, "call", CALL_ID);
        assertEquals(0, r.code(), r.toString());
        assertEquals(CALL_PATH, node.onlyRequest().rawPath());
        assertEquals("""
                call-id:          a84b4c76e66710@pc33.atlanta.com
                from:             sip:alice@example.com
                to:               sip:bob@example.com
                state:            answered
                node:             akka://switchboard@127.0.0.1:2552
                answered at:      2026-12-06T15:00:00Z
                age:              2m05s
                caller:           sip:alice@192.0.2.10:5060
                callee:           sip:bob@192.0.2.20:5060
                session expires:  in 28m20s
                """, r.out());
    }

    @Test
    void hangupDeletesTheCallAndAConflictIsExit1() throws IOException {
        node.accept("DELETE", CALL_PATH);
        Cli.Result r = Cli.at(node, dir, "hangup", CALL_ID);
        assertEquals(0, r.code(), r.toString());
        assertEquals("hung up " + CALL_ID + "\n", r.out());
        FakeNode.Request delete = node.onlyRequest();
        assertEquals("DELETE", delete.method());
        assertEquals(CALL_PATH, delete.rawPath());
        assertEquals(Optional.of("Bearer " + Cli.TOKEN), delete.authorization());

        FakeNode ringing = new FakeNode().answer("DELETE", "/admin/v1/calls/x%2Fy%40h", 409, "{\"error\":\"the call is not up\"}");
        try (ringing) {
            Cli.Result conflict = Cli.at(ringing, dir, "hangup", "x/y@h");
            assertEquals(1, conflict.code(), conflict.toString());
            assertEquals("switchboard-admin: the call is not up (409)\n", conflict.err());
        }
    }

    @Test
    void clusterShowsMembersRegionsAndTheJournal() {
        node.answer("GET", "/admin/v1/cluster", 200, """
                {"self":"akka://switchboard@127.0.0.4:2552",
                 "members":[{"address":"akka://switchboard@127.0.0.2:2552","status":"Up","roles":["transport"]},
                            {"address":"akka://switchboard@127.0.0.4:2552","status":"Up","roles":["core","dc-default"]}],
                 "unreachable":[],
                 "regions":[{"type":"Registration","node":"akka://switchboard@127.0.0.4:2552","shards":100,"entities":10000},
                            {"type":"Call","node":"akka://switchboard@127.0.0.4:2552","shards":12,"entities":3}],
                 "journal":{"healthy":true,"latencyMs":2}}""");
        Cli.Result r = Cli.at(node, dir, "cluster");
        assertEquals(0, r.code(), r.toString());
        assertEquals("""
                asked:        akka://switchboard@127.0.0.4:2552
                journal:      healthy (2 ms round trip)
                unreachable:  none

                MEMBER                             STATUS  ROLES
                akka://switchboard@127.0.0.2:2552  Up      transport
                akka://switchboard@127.0.0.4:2552  Up      core,dc-default

                ENTITY        NODE                               SHARDS  ENTITIES
                Registration  akka://switchboard@127.0.0.4:2552  100     10000
                Call          akka://switchboard@127.0.0.4:2552  12      3
                """, r.out());
    }

    @Test
    void anUnhealthyJournalAndASlowClusterAreShownAsTheNodeSaysThem() throws IOException {
        node.answer("GET", "/admin/v1/cluster", 200, """
                {"self":"a","members":[],"unreachable":["b"],"regions":[],"journal":{"healthy":false,"error":"connection refused"}}""");
        Cli.Result r = Cli.at(node, dir, "cluster");
        assertTrue(r.out().contains("journal:      NOT HEALTHY: connection refused\nunreachable:  b\n"), r.out());
        assertTrue(r.out().endsWith("no shards allocated\n"), r.out());

        FakeNode slow = new FakeNode().answer("GET", "/admin/v1/calls", 503, "{\"error\":\"the cluster did not answer in time\"}");
        try (slow) {
            Cli.Result busy = Cli.at(slow, dir, "calls");
            assertEquals(1, busy.code(), busy.toString());
            assertEquals("switchboard-admin: the cluster did not answer in time (503)\n", busy.err());
        }
    }

    @Test
    void anErrorWithoutJsonIsReportedByItsStatus() {
        node.answer("GET", "/admin/v1/cluster", 502, "Bad Gateway");
        Cli.Result r = Cli.at(node, dir, "cluster");
        assertEquals(1, r.code(), r.toString());
        assertEquals("switchboard-admin: the node answered 502 (502)\n", r.err());
    }
}
