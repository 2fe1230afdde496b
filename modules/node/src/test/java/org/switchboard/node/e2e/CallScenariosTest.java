package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calls of the proxy, each between real SIPp callers and callees through one node: rejection, cancel,
 * forking, forwarding, re-INVITE, session expiry, unknown dialogs. Every callee account is used by one test only.
 */
class CallScenariosTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    @RegisterExtension
    static final SingleNode node = SingleNode.of("calls", List.of(
            "busy@sip.test,pw", "decline@sip.test,pw", "ringing@sip.test,pw", "twodevices@sip.test,pw",
            "noanswer@sip.test,pw,no-answer=sip:vm1@sip.test/2", "vm1@sip.test,pw",
            "away@sip.test,pw,unavailable=sip:vm2@sip.test", "vm2@sip.test,pw",
            "holder@sip.test,pw", "timed@sip.test,pw", "moved@sip.test,pw", "busyone@sip.test,pw",
            "hangsup@sip.test,pw", "refreshed@sip.test,pw", "transferee@sip.test,pw", "carol@sip.test,pw",
            "dave@sip.test,pw"), List.of(
            "switchboard.proxy.authenticate-callers = off",
            "switchboard.session.min-session-expires = 2s"));

    @Test
    void rejectionsAreRelayedWithTheirStatusAndAcknowledgedHopByHop() {
        for (String code : List.of("486", "603")) {
            String callee = code.equals("486") ? "busy" : "decline";
            int uas = register(callee);
            call(callee, scenario("uac_rejected.xml", Map.of("CODE", code)), 5,
                    new Callee(scenario("uas_rejects.xml", Map.of("CODE", code)), uas));
        }
    }

    @Test
    void aCallCancelledWhileRingingEndsWith487OnBothSides() {
        int uas = register("ringing");
        call("ringing", scenario("uac_cancels.xml", Map.of()), 5,
                new Callee(scenario("uas_rings_until_cancelled.xml", Map.of()), uas));
    }

    @Test
    void twoDevicesRingTheFirstToAnswerWinsTheOtherIsCancelled() {
        int answering = register("twodevices");
        int ringing = register("twodevices");
        call("twodevices", Sipp.scenario("uac_call.xml"), 3,
                new Callee(Sipp.scenario("uas_call.xml"), answering),
                new Callee(scenario("uas_rings_until_cancelled.xml", Map.of()), ringing));
    }

    @Test
    void noAnswerForwardsToTheTargetWithDiversionAfterTheRingTime() {
        int ringing = register("noanswer");
        int voicemail = register("vm1");
        call("noanswer", Sipp.scenario("uac_call.xml"), 2,
                new Callee(scenario("uas_rings_until_cancelled.xml", Map.of()), ringing),
                new Callee(scenario("uas_checks_invite.xml", Map.of("REGEXP", diversion("noanswer", "no-answer"))), voicemail));
    }

    @Test
    void anUnregisteredCalleeIsForwardedWhenUnavailable() {
        int voicemail = register("vm2");
        call("away", Sipp.scenario("uac_call.xml"), 3,
                new Callee(scenario("uas_checks_invite.xml", Map.of("REGEXP", diversion("away", "unavailable"))), voicemail));
    }

    @Test
    void holdAndUnholdReInvitesFollowTheRouteSet() {
        int uas = register("holder");
        call("holder", scenario("uac_call_holds.xml", Map.of()), 3,
                new Callee(scenario("uas_answers_holds.xml", Map.of()), uas));
    }

    @Test
    void anExpiredSessionIsTornDownWithAByeToBothSides() {
        int uas = register("timed");
        call("timed", scenario("uac_session_expires.xml", Map.of("SE", "2")), 2,
                new Callee(scenario("uas_session_expires.xml", Map.of()), uas));
    }

    @Test
    void aRedirectIsRelayedToTheCallerWhenNotFollowed() {
        int uas = register("moved");
        call("moved", scenario("uac_rejected.xml", Map.of("CODE", "302")), 3,
                new Callee(scenario("uas_redirects.xml", Map.of("TARGET", "sip:elsewhere@127.0.0.1:9")), uas));
    }

    @Test
    void oneDeviceBusyTheOtherAnswersTheCallerGetsTheAnswer() {
        int busy = register("busyone");
        int answering = register("busyone");
        call("busyone", Sipp.scenario("uac_call.xml"), 3,
                new Callee(scenario("uas_rejects.xml", Map.of("CODE", "486")), busy),
                new Callee(scenario("uas_call_delayed.xml", Map.of("DELAY", "500", "TIMEWAIT", "2000")), answering));
    }

    @Test
    void theCalleeHangsUpThroughTheRouteSet() {
        int uas = register("hangsup");
        call("hangsup", scenario("uac_session_expires.xml", Map.of("SE", "1800")), 3,
                new Callee(scenario("uas_callee_hangs_up.xml", Map.of()), uas));
    }

    @Test
    void aSessionRefreshedByUpdateOutlivesItsFirstInterval() {
        int uas = register("refreshed");
        call("refreshed", scenario("uac_session_refreshes.xml", Map.of("SE", "2")), 2,
                new Callee(scenario("uas_session_refreshed.xml", Map.of()), uas));
    }

    @Test
    void aReferIsAcceptedAndItsNotifyRelayedInTheDialog() {
        int uas = register("transferee");
        call("transferee", scenario("uac_transfers.xml", Map.of()), 2,
                new Callee(scenario("uas_transferred.xml", Map.of()), uas));
    }

    @Test
    void theTransfereesCallReachesTheTargetWithReferredByAndAnAttendedTransferCarriesReplaces() {
        // blind: after the REFER above, the transferee calls the Refer-To target itself, saying who referred it
        int carol = register("carol");
        call(node, List.of("SEQUENTIAL", "carol;sip.test"), "carol",
                scenario("uac_call_with_header.xml",
                        Map.of("FROM", "transferee@sip.test", "HEADER", "Referred-By: <sip:caller@sip.test>")), 2,
                new Callee(scenario("uas_checks_invite.xml",
                        Map.of("REGEXP", "Referred-By: &lt;sip:caller@sip.test&gt;")), carol));
        // attended: the INVITE to the target replaces an existing dialog (RFC 3891); the proxy passes it untouched
        int dave = register("dave");
        call(node, List.of("SEQUENTIAL", "dave;sip.test"), "dave",
                scenario("uac_call_with_header.xml",
                        Map.of("FROM", "transferee@sip.test", "HEADER", "Replaces: 98asjd8@sip.test;to-tag=1234;from-tag=5678")), 2,
                new Callee(scenario("uas_checks_invite.xml",
                        Map.of("REGEXP", "Replaces: 98asjd8@sip.test;to-tag=1234;from-tag=5678")), dave));
    }

    /** The Diversion header the forwarded INVITE must carry, as an XML-escaped regular expression. */
    private static String diversion(String from, String reason) {
        return "Diversion: &lt;sip:" + from + "@sip.test&gt;;reason=" + reason;
    }

    @Test
    void aByeForAnUnknownDialogGets481() {
        Sipp.Result r = Sipp.run(node.work(), "bye-481", node.address(), scenario("uac_bye_unknown_dialog.xml", Map.of()),
                FreePorts.udpAndTcp(), SIPP, "-m", "3", "-r", "3");
        assertEquals(3, r.successful(), r.diagnosis());
    }

    // ---------------------------------------------------------------- helpers

    record Callee(Path scenario, int port) {
    }

    /** Registers one device of the user from a fresh port, where its SIPp callee will listen. */
    static int register(Path work, String node, String user) {
        int port = FreePorts.udpAndTcp();
        Path csv = TestFiles.registerCsv(work, "reg-" + user + "-" + port + ".csv", List.<String[]>of(new String[] {user, "pw"}));
        Sipp.Result r = Sipp.run(work, "register-" + user + "-" + port, node, Sipp.scenario("reg_auth.xml"), port, SIPP,
                "-inf", csv.toString(), "-m", "1");
        assertEquals(1, r.successful(), r.diagnosis());
        return port;
    }

    /** A scenario of this class's tests, written into the node's work directory ({@link Sipp#testScenario}). */
    private static Path scenario(String file, Map<String, String> values) {
        return Sipp.testScenario(node.work(), file, values);
    }

    /** {@link #register(Path, String, String)} at a test class's node. */
    static int register(SingleNode node, String user) {
        return register(node.work(), node.address(), user);
    }

    private static int register(String user) {
        return register(node, user);
    }

    private static void call(String callee, Path uacScenario, int calls, Callee... callees) {
        call(node, List.of("SEQUENTIAL", callee + ";sip.test"), callee, uacScenario, calls, callees);
    }

    /** {@link #call(Path, String, NodeProcess, List, String, Path, int, Callee...)} at a test class's node. */
    static void call(SingleNode node, List<String> csvLines, String callee, Path uacScenario, int calls,
                     Callee... callees) {
        call(node.work(), node.address(), node.process(), csvLines, callee, uacScenario, calls, callees);
    }

    /** Runs the callees, then {@code calls} calls from the caller scenario; every side must succeed every call. */
    static void call(Path work, String node, NodeProcess process, List<String> csvLines, String callee, Path uacScenario,
                     int calls, Callee... callees) {
        Path csv = TestFiles.write(work.resolve("callee-" + callee + ".csv"), csvLines);
        List<Sipp> running = new ArrayList<>();
        try {
            for (Callee c : callees) {
                running.add(Sipp.start(work, "uas-" + callee + "-" + c.port(), null, c.scenario(), c.port(),
                        "-m", Integer.toString(calls), "-trace_msg"));
            }
            Sipp.Result uac = Sipp.run(work, "uac-" + callee, node, uacScenario, FreePorts.udpAndTcp(), SIPP,
                    "-inf", csv.toString(), "-m", Integer.toString(calls), "-r", "2", "-trace_msg",
                    // a caller that is challenged (407) answers for the Request-URI, not SIPp's default remote address
                    "-auth_uri", callee + "@" + TestFiles.DOMAIN);
            assertEquals(calls, uac.successful(), "caller: " + uac.diagnosis() + process.tail());
            assertEquals(0, uac.failed(), uac.diagnosis());
            for (Sipp uas : running) {
                Sipp.Result r = uas.await(SIPP);
                assertEquals(calls, r.successful(), "callee: " + r.diagnosis());
            }
        } finally {
            running.forEach(Sipp::close);
        }
    }
}
