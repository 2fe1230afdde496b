package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * Call detail records end to end: a SIPp run of answered, rejected (486, 603) and cancelled calls through one node,
 * then the CSV of the admin API and of the CLI, a record per call with its parties, times and disposition; the calls'
 * journal rows deleted once the (short) retention has passed, a late BYE then answered 481; and after a restart on
 * the same data directory after a crash (SIGKILL) the same records, none lost, none twice.
 */
class CdrEndToEndTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ANSWERED = 3;
    private static final int REJECTED = 2; // of each code
    private static final int CANCELLED = 2;
    private static final int CALLS = ANSWERED + 2 * REJECTED + CANCELLED;

    @Test
    void everyCallHasOneRecordInTheApiAndCliExportsItsEventsGoAfterTheKeepTimeAndARestartKeepsThemOnce() throws Exception {
        Path work = TestFiles.workDir("cdr");
        String node = "127.0.0.1:" + FreePorts.udpAndTcp();
        Path data = work.resolve("data");
        Path subscribers = TestFiles.write(work.resolve("subscribers.csv"),
                List.of("answer@sip.test,pw", "busy@sip.test,pw", "decline@sip.test,pw", "ringing@sip.test,pw"));
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.proxy.authenticate-callers = off",
                "switchboard.cdr.interval = 200ms", "switchboard.cdr.keep-call-events = 4s"));
        String[] args = {"--sip", node, "--data", data.toString(), "--subscribers", subscribers.toString(),
                "--config", config.toString()};
        Instant before = Instant.now();
        String exported;
        String from = before.minusSeconds(60).toString();
        String to = before.plusSeconds(3600).toString();
        try (NodeProcess first = NodeProcess.start(work.resolve("node-1.log"), args).awaitReady(READY)) {
            int answerer = CallScenariosTest.register(work, node, "answer");
            CallScenariosTest.call(work, node, first, List.of("SEQUENTIAL", "answer;sip.test"), "answer",
                    Sipp.scenario("uac_call.xml"), ANSWERED, new CallScenariosTest.Callee(Sipp.scenario("uas_call.xml"), answerer));
            for (String code : List.of("486", "603")) {
                String callee = code.equals("486") ? "busy" : "decline";
                int uas = CallScenariosTest.register(work, node, callee);
                CallScenariosTest.call(work, node, first, List.of("SEQUENTIAL", callee + ";sip.test"), callee,
                        Sipp.testScenario(work, "uac_rejected.xml", Map.of("CODE", code)), REJECTED,
                        new CallScenariosTest.Callee(Sipp.testScenario(work, "uas_rejects.xml", Map.of("CODE", code)), uas));
            }
            int ringing = CallScenariosTest.register(work, node, "ringing");
            CallScenariosTest.call(work, node, first, List.of("SEQUENTIAL", "ringing;sip.test"), "ringing",
                    Sipp.testScenario(work, "uac_cancels.xml", Map.of()), CANCELLED,
                    new CallScenariosTest.Callee(Sipp.testScenario(work, "uas_rings_until_cancelled.xml", Map.of()), ringing));
            Instant after = Instant.now();

            AdminHttp api = AdminHttp.of(data);
            String[] body = {""};
            Await.until("a CDR for each of the " + CALLS + " calls", WAIT, () -> {
                AdminHttp.Answer a = api.get("/cdrs?from=" + from + "&to=" + to);
                body[0] = a.body();
                return a.status() == 200 && records(a.body()).size() == CALLS;
            }, () -> body[0] + first.tail());
            exported = body[0];
            List<CSVRecord> rows = records(exported);
            assertEquals(CALLS, rows.stream().map(r -> r.get("call_id")).distinct().count(), "one record per call: " + exported);
            checkAnswered(rows, before, after);
            checkUnanswered(rows, "busy", "failed", "486", "callee", REJECTED, before, after);
            checkUnanswered(rows, "decline", "failed", "603", "callee", REJECTED, before, after);
            checkUnanswered(rows, "ringing", "cancelled", "487", "caller", CANCELLED, before, after);
            assertEquals(400, api.get("/cdrs?from=yesterday&to=" + to).status());
            HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(api.base() + "/admin/v1/cdrs?from=" + from + "&to=" + to))
                    .header("Authorization", "Bearer " + api.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(Optional.of("text/csv; charset=UTF-8"), raw.headers().firstValue("content-type"));
            assertEquals(Optional.of("chunked"), raw.headers().firstValue("transfer-encoding"),
                    "streamed, never built whole in memory");

            // the CLI: to stdout, and to a file
            AdminCliRun toStdout = AdminCliRun.of(work, "--data", data.toString(), "cdrs", "--from", from, "--to", to);
            assertEquals(0, toStdout.exit(), toStdout.err());
            assertEquals(exported, toStdout.out());
            AdminCliRun toFile = AdminCliRun.of(work, "--data", data.toString(), "cdrs", "--from", from, "--to", to,
                    "--out", "cdrs.csv");
            assertEquals(0, toFile.exit(), toFile.err());
            assertEquals("wrote " + CALLS + " CDRs to cdrs.csv\n", toFile.out());
            assertEquals(exported, Files.readString(work.resolve("cdrs.csv"), StandardCharsets.UTF_8));

            // retention: 4 s after their records are complete, the calls' events leave the journal
            Await.until("the events of all " + CALLS + " calls deleted", WAIT, () -> deletedCalls(first.output()) == CALLS,
                    first::tail);
            String callId = rows.stream().filter(r -> r.get("disposition").equals("answered")).findFirst().orElseThrow()
                    .get("call_id");
            assertTrue(lateBye(node, callId).startsWith("SIP/2.0 481"), "a late BYE of a forgotten call");
            first.kill(Duration.ofSeconds(30)); // a crash: what was committed stays
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("journal"), "sa", "");
             Statement st = c.createStatement()) {
            assertEquals(0, count(st, "SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" LIKE 'Call|%'"),
                    "no call event is left in the journal");
            assertEquals(0, count(st, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'cdr'"),
                    "the records are not in the journal's database");
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("journal-cdr"), "sa", "");
             Statement st = c.createStatement()) {
            assertEquals(CALLS, count(st, "SELECT COUNT(*) FROM \"cdr\""), "the records are in their own database");
        }

        // a restart on the same data directory: the writer goes on from its stored offset, nothing lost, nothing twice
        try (NodeProcess second = NodeProcess.start(work.resolve("node-2.log"), args).awaitReady(READY)) {
            AdminHttp api = AdminHttp.of(data);
            AdminHttp.Answer again = api.get("/cdrs?from=" + from + "&to=" + to);
            assertEquals(200, again.status(), again.body());
            assertEquals(exported, again.body());
            assertTrue(second.output().contains("CDR writer starts after journal ordering"), second.tail());
        }
    }

    private static void checkAnswered(List<CSVRecord> rows, Instant before, Instant after) {
        List<CSVRecord> answered = select(rows, r -> r.get("callee").equals("sip:answer@sip.test"));
        assertEquals(ANSWERED, answered.size(), answered.toString());
        for (CSVRecord r : answered) {
            assertEquals("answered", r.get("disposition"), r.toString());
            assertEquals("sip:caller@sip.test", r.get("caller"), r.toString());
            assertEquals("0", r.get("leg"), r.toString());
            assertTrue(r.get("answered_contact").startsWith("sip:127.0.0.1:"), r.toString());
            Instant start = Instant.parse(r.get("start"));
            Instant answer = Instant.parse(r.get("answer"));
            Instant end = Instant.parse(r.get("end"));
            assertTrue(!start.isBefore(before) && !start.isAfter(answer) && !answer.isAfter(end) && !end.isAfter(after),
                    r.toString());
            long seconds = Duration.between(answer, end).toSeconds();
            assertEquals(Long.toString(seconds), r.get("duration_s"), r.toString());
            assertTrue(seconds >= 1, "SIPp's caller talks for 1 s: " + r);
            assertEquals("", r.get("sip_status"), r.toString());
            assertEquals("caller", r.get("hangup_side"), r.toString());
            assertEquals("BYE 200", r.get("cause"), r.toString());
            assertTrue(r.get("node").startsWith("switchboard@127.0.0.1:"), r.toString());
        }
    }

    private static void checkUnanswered(List<CSVRecord> rows, String callee, String disposition, String status,
                                        String side, int expected, Instant before, Instant after) {
        List<CSVRecord> mine = select(rows, r -> r.get("callee").equals("sip:" + callee + "@sip.test"));
        assertEquals(expected, mine.size(), mine.toString());
        for (CSVRecord r : mine) {
            assertEquals(disposition, r.get("disposition"), r.toString());
            assertEquals(status, r.get("sip_status"), r.toString());
            assertEquals("sip:caller@sip.test", r.get("caller"), r.toString());
            assertEquals("sip:" + callee + "@sip.test", r.get("request_uri"), r.toString());
            assertEquals(side, r.get("hangup_side"), r.toString());
            assertEquals("", r.get("answer"), r.toString());
            assertEquals("0", r.get("duration_s"), r.toString());
            Instant start = Instant.parse(r.get("start"));
            Instant end = Instant.parse(r.get("end"));
            assertTrue(!start.isBefore(before) && !start.isAfter(end) && !end.isAfter(after), r.toString());
        }
    }

    /** The calls whose events the node's log says it deleted. */
    private static int deletedCalls(String log) {
        Matcher m = Pattern.compile("deleted the journal rows of (\\d+) call").matcher(log);
        int calls = 0;
        while (m.find()) {
            calls += Integer.parseInt(m.group(1));
        }
        return calls;
    }

    private static List<CSVRecord> select(List<CSVRecord> rows, Predicate<CSVRecord> which) {
        return rows.stream().filter(which).toList();
    }

    private static List<CSVRecord> records(String csv) {
        try {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(csv)).getRecords();
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A BYE in the dialog of a call long over, from a socket of its own: the node's answer's status line. */
    private static String lateBye(String node, String callId) {
        int port = Integer.parseInt(node.substring(node.indexOf(':') + 1));
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            String bye = "BYE sip:answer@127.0.0.1:9 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-late-bye\r\n"
                    + "From: <sip:caller@sip.test>;tag=gone\r\nTo: <sip:answer@sip.test>;tag=long-gone\r\n"
                    + "Call-ID: " + callId + "\r\nCSeq: 9 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = bye.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
            byte[] buffer = new byte[4096];
            while (true) {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                String response = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                if (!response.startsWith("SIP/2.0 1")) {
                    return response;
                }
            }
        } catch (SocketTimeoutException e) {
            return "no answer within 5 s";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
