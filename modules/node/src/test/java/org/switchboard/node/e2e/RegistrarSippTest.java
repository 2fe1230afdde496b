package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registrar's rules as SIPp, an independent SIP peer, sees them: every case is a REGISTER with digest auth
 * whose final answer is checked by status and by what it lists (bench/sipp's flow plus a check).
 */
class RegistrarSippTest {
    @RegisterExtension
    static final SingleNode node = SingleNode.of("registrar-sipp", List.of("frank@sip.test,frankpw", "grace@sip.test,gracepw",
            "heidi@sip.test,heidipw", "ivan@sip.test,ivanpw", "judy@sip.test,judypw"), List.of());

    @Test
    void twoDevicesOfOneUserAreBothBoundAndListed() {
        int desk = FreePorts.udpAndTcp();
        int mobile = FreePorts.udpAndTcp();
        register("frank", "frankpw", desk, contact("frank", desk), 600, 200, "expires=600", "^$NEVER");
        register("frank", "frankpw", mobile, contact("frank", mobile), 600, 200,
                "127.0.0.1:" + desk + "&gt;;expires=", "^$NEVER");
        register("frank", "frankpw", mobile, contact("frank", mobile), 600, 200,
                "127.0.0.1:" + mobile + "&gt;;expires=", "^$NEVER");
    }

    @Test
    void aDeviceReRegisteringWithItsInstanceIdKeepsOneBinding() {
        String instance = ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-00a0c91e6bf6>\";reg-id=1";
        int before = FreePorts.udpAndTcp();
        int after = FreePorts.udpAndTcp();
        register("grace", "gracepw", before, contact("grace", before) + instance, 600, 200, "127.0.0.1:" + before, "^$NEVER");
        register("grace", "gracepw", after, contact("grace", after) + instance, 600, 200,
                "127.0.0.1:" + after, "127.0.0.1:" + before + "&gt;");
    }

    @Test
    void expiresZeroRemovesOneBindingAndTheWildcardRemovesAll() {
        int a = FreePorts.udpAndTcp();
        int b = FreePorts.udpAndTcp();
        register("heidi", "heidipw", a, contact("heidi", a), 600, 200, "expires=", "^$NEVER");
        register("heidi", "heidipw", b, contact("heidi", b), 600, 200, "expires=", "^$NEVER");
        register("heidi", "heidipw", a, contact("heidi", a), 0, 200, "127.0.0.1:" + b + "&gt;", "127.0.0.1:" + a + "&gt;");
        register("heidi", "heidipw", a, "*", 0, 200, "SIP/2.0 200", "Contact:");
    }

    @Test
    void aWrongPasswordIsForbiddenWithoutAnotherChallenge() {
        int port = FreePorts.udpAndTcp();
        // the nonce was fresh, so the password is wrong: 403 at once, like a user that does not exist (DigestCheck)
        register("ivan", "not-ivans-password", port, contact("ivan", port), 600, 403, "SIP/2.0 403 Forbidden",
                "WWW-Authenticate");
    }

    @Test
    void registeringSomeoneElsesAddressIsForbidden() {
        int port = FreePorts.udpAndTcp();
        // judy's AOR, ivan's valid credentials
        Path csv = TestFiles.write(node.work().resolve("judy-as-ivan-" + port + ".csv"),
                List.of("SEQUENTIAL", "judy;sip.test;[authentication username=ivan password=ivanpw]"));
        run(csv, port, contact("judy", port), 600, 403, "SIP/2.0 403", "^$NEVER");
    }

    /** A Contact value: it goes into the scenario's message text (CDATA), so it is not XML-escaped. */
    private static String contact(String user, int port) {
        return "<sip:" + user + "@127.0.0.1:" + port + ">";
    }

    private static void register(String user, String password, int port, String contact, int expires, int status,
                                 String match, String noMatch) {
        Path csv = TestFiles.write(node.work().resolve(user + "-" + port + "-" + System.nanoTime() + ".csv"),
                List.of("SEQUENTIAL", user + ";sip.test;[authentication username=" + user + " password=" + password + "]"));
        run(csv, port, contact, expires, status, match, noMatch);
    }

    private static void run(Path csv, int port, String contact, int expires, int status, String match, String noMatch) {
        Path scenario = Sipp.testScenario(node.work(), "reg_check.xml", Map.of("CONTACT", contact,
                "EXPIRES", Integer.toString(expires), "FINAL", Integer.toString(status), "MATCH", match, "NOMATCH", noMatch));
        Sipp.Result r = Sipp.run(node.work(), "reg-" + port + "-" + System.nanoTime(), node.address(), scenario, port,
                Duration.ofSeconds(30), "-inf", csv.toString(), "-m", "1", "-trace_msg");
        assertEquals(1, r.successful(), r.diagnosis() + node.process().tail());
    }
}
