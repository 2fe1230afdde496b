package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipResponse;

/**
 * SIPp over TCP against one node: REGISTER with digest over one connection for all ({@code -t t1}) and over a
 * connection per registration ({@code -t tn}); calls to a callee that registered over its TCP connection and takes
 * the call on that same connection, from a caller over TCP and from a caller over UDP.
 */
class SippTcpTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    @RegisterExtension
    static final SingleNode node = SingleNode.of("sipp-tcp", List.of("alice@sip.test,pw", "bob@sip.test,pw", "carol@sip.test,pw",
            "dave@sip.test,pw", "erin@sip.test,pw"), List.of("switchboard.proxy.authenticate-callers = off",
                    // a busy test machine is not what is tested here: no 503 for a slow dispatcher
                    "switchboard.security.overload.enabled = off"));

    @Test
    void registersOverTcpWithDigest() {
        for (String mode : List.of("t1", "tn")) {
            Path csv = TestFiles.registerCsv(node.work(), "reg-tcp-" + mode + ".csv",
                    List.<String[]>of(new String[] {"alice", "pw"}, new String[] {"bob", "pw"}));
            Sipp.Result r = Sipp.run(node.work(), "reg-tcp-" + mode, node.address(), Sipp.scenario("reg_auth.xml"),
                    FreePorts.udpAndTcp(), SIPP, "-t", mode, "-max_socket", "100", "-inf", csv.toString(), "-m", "2");
            assertEquals(2, r.successful(), "-t " + mode + ": " + r.diagnosis() + node.process().tail());
            assertEquals(0, r.failed(), r.diagnosis());
        }
    }

    @Test
    void callBetweenTwoTcpPhones() {
        call("carol", "tn");
    }

    @Test
    void udpCallerReachesATcpCallee() {
        call("dave", "u1");
    }

    /** The callee registers over TCP and waits on its connection; the caller calls it over {@code callerMode}. */
    private static void call(String callee, String callerMode) {
        Path work = node.work();
        String callId = UUID.randomUUID().toString();
        Path reg = TestFiles.registerCsv(work, "reg-" + callee + ".csv", List.<String[]>of(new String[] {callee, "pw"}));
        // one Call-ID for the callee's REGISTERs and the caller's INVITE: see uas_registers_tcp.xml
        try (Sipp uas = Sipp.start(work, "uas-" + callee, node.address(),
                Sipp.testScenario(work, "uas_registers_tcp.xml", Map.of()), FreePorts.udpAndTcp(),
                "-t", "t1", "-max_socket", "100", "-inf", reg.toString(), "-m", "1", "-auth_uri", TestFiles.DOMAIN,
                "-cid_str", callId,
                "-trace_msg")) {
            Await.until(callee + " registered over TCP", SIPP, () -> registeredOverTcp(callee), uas::diagnosis);
            Path callees = TestFiles.write(work.resolve("callee-" + callee + ".csv"),
                    List.of("SEQUENTIAL", callee + ";" + TestFiles.DOMAIN));
            Sipp.Result caller = Sipp.run(work, "uac-" + callee, node.address(),
                    Sipp.scenario("uac_call.xml"), FreePorts.udpAndTcp(), SIPP, "-t", callerMode, "-max_socket", "100",
                    "-inf", callees.toString(), "-m", "1", "-cid_str", callId, "-trace_msg");
            assertEquals(1, caller.successful(), "caller over " + callerMode + ": " + caller.diagnosis()
                    + uas.diagnosis() + node.process().tail());
            Sipp.Result answered = uas.await(SIPP);
            assertEquals(1, answered.successful(), "callee over TCP: " + answered.diagnosis());
        }
    }

    /** The registrar lists a binding of the user with transport=tcp (asked over UDP, with digest). */
    private static boolean registeredOverTcp(String user) {
        int port = Integer.parseInt(node.address().split(":")[1]);
        try (UdpPhone query = new UdpPhone(port)) {
            SipResponse r = query.registerWithAuth(user, user, "pw", Optional.empty(), Optional.empty());
            return r.status() == 200 && r.contacts().stream()
                    .anyMatch(c -> c.uri().toString().toLowerCase(java.util.Locale.ROOT).contains("transport=tcp"));
        }
    }
}
