package org.switchboard.node.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node with the proxy's policies on: callers of our domain authenticate (407), redirects are followed. */
class ProxyPolicyTest {
    private static Path work;
    private static String node;
    private static NodeProcess process;

    @BeforeAll
    static void startNode() {
        TestNode n = TestNode.start("policy", List.of("alice@sip.test,alicepw", "bob@sip.test,pw", "forwarder@sip.test,pw"),
                List.of("switchboard.proxy.authenticate-callers = on", "switchboard.proxy.follow-redirects = on"));
        work = n.work();
        node = n.address();
        process = n.process();
    }

    @AfterAll
    static void stopNode() {
        process.close();
    }

    @Test
    void aCallerOfOurDomainIsChallengedAndGetsThroughWithCredentials() {
        int uas = CallScenariosTest.register(work, node, "bob");
        CallScenariosTest.call(work, node, process,
                List.of("SEQUENTIAL", "bob;sip.test;alice;[authentication username=alice password=alicepw]"), "bob",
                Sipp.testScenario(work, "uac_authenticates.xml", Map.of()), 3,
                new CallScenariosTest.Callee(Sipp.scenario("uas_call.xml"), uas));
    }

    @Test
    void aRedirectIsFollowedToItsContact() {
        int redirecting = CallScenariosTest.register(work, node, "forwarder");
        int target = FreePorts.udpAndTcp();
        CallScenariosTest.call(work, node, process, List.of("SEQUENTIAL", "forwarder;sip.test"), "forwarder",
                Sipp.testScenario(work, "uac_call_from.xml", Map.of("FROM", "carol@elsewhere.net")), 3,
                new CallScenariosTest.Callee(Sipp.testScenario(work, "uas_redirects.xml",
                        Map.of("TARGET", "sip:target@127.0.0.1:" + target)), redirecting),
                new CallScenariosTest.Callee(Sipp.scenario("uas_call.xml"), target));
    }

    @Test
    void aCallToAForeignDomainWithoutRouteIsRefused() {
        CallScenariosTest.call(work, node, process, List.of("SEQUENTIAL", "someone;elsewhere.net"), "foreign",
                Sipp.testScenario(work, "uac_rejected.xml", Map.of("CODE", "403")), 2);
    }
}
