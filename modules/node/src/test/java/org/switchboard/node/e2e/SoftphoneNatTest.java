package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real NAT (NatNetwork: network namespaces, a router that masquerades): the node runs on the public network at
 * 198.51.100.2; lara's baresip sits on a LAN behind the router, registers over UDP with a Contact naming
 * 192.168.77.2, which the node has no route to, and the node sees her REGISTER come from the router's public
 * address 198.51.100.1 and a port the router chose. Paul's baresip, on the public network, calls her: the INVITE reaches her through the NAT
 * binding her REGISTER opened, the call is established on both sides, and her BYE reaches paul.
 */
class SoftphoneNatTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NODE_SIP = NatNetwork.NODE + ":5060";
    private static NatNetwork network;
    private static NodeProcess node;
    private static Path work;

    @BeforeAll
    static void buildNetworkAndStartNode() {
        network = NatNetwork.create();
        work = TestFiles.workDir("softphones-nat");
        // the node trusts 127.0.0.1 only (NodeProcess's default): every phone here is challenged; its management
        // port is on the public namespace's own loopback
        node = NodeProcess.start(work.resolve("node.log"), network.inPublic(),
                        List.of("-Dswitchboard.management.port=8558"),
                        "--sip", NODE_SIP, "--data", work.resolve("data").toString(),
                        "--subscribers", TestFiles.write(work.resolve("subscribers.csv"),
                                List.of("lara@sip.test,larapw", "paul@sip.test,paulpw")).toString(),
                        "--config", TestFiles.write(work.resolve("node.conf"), List.of()).toString())
                .awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void tearDown() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    @Test
    void aPhoneBehindARealNatIsCalledAndItsByeReachesTheCaller() {
        assertTrue(network.onPublic("ip", "route", "get", NatNetwork.LAN_HOST).contains("unreachable"),
                "the public network has no route to the LAN: " + network.describe());
        try (BaresipPhone lara = BaresipPhone.start(work.resolve("baresip-lara"),
                BaresipPhone.Setup.of("lara", "sip.test", "larapw", NatNetwork.LAN_HOST, NODE_SIP)
                        .ports(5060, 5555).launcher(network.inLan().toArray(String[]::new)));
             BaresipPhone paul = BaresipPhone.start(work.resolve("baresip-paul"),
                     BaresipPhone.Setup.of("paul", "sip.test", "paulpw", NatNetwork.PUBLIC_HOST, NODE_SIP)
                             .ports(5060, 5555).launcher(network.inPublic().toArray(String[]::new)))) {
            lara.awaitRegistered(WAIT);
            paul.awaitRegistered(WAIT);
            registeredThroughTheNat(lara);

            paul.dial("sip:lara@sip.test");
            JsonNode incoming = lara.awaitEstablished(WAIT);
            JsonNode outgoing = paul.awaitEstablished(WAIT);
            assertEquals("incoming", incoming.path("direction").asText());
            assertEquals("outgoing", outgoing.path("direction").asText());
            assertEquals("sip:paul@sip.test", incoming.path("peeruri").asText(), "lara sees paul");
            // the node sent the INVITE to the router's public address; the NAT delivered it to lara's private one
            String invite = received(lara, "INVITE");
            assertTrue(invite.startsWith("UDP " + NODE_SIP + " -> " + NatNetwork.LAN_HOST + ":5060"), invite);
            assertTrue(invite.contains("INVITE sip:lara") && invite.contains("@" + NatNetwork.LAN_HOST + ":5060"),
                    "the Request-URI stays lara's Contact\n" + invite);

            lara.hangup();
            lara.awaitClosed(WAIT);
            JsonNode closed = paul.awaitClosed(WAIT);
            assertTrue(closed.path("param").asText().contains("Connection reset by peer"),
                    "paul was hung up on by lara's BYE: " + closed);
            String bye = received(paul, "BYE");
            assertTrue(bye.startsWith("UDP " + NODE_SIP + " -> " + NatNetwork.PUBLIC_HOST + ":5060"), bye);
            assertTrue(bye.contains("received=" + NatNetwork.ROUTER_PUBLIC),
                    "lara's BYE reached the node from the router's public address\n" + bye);
            // paul's 200 to the BYE goes back through the node and the NAT to lara
            Await.until("the 200 to lara's BYE, through the NAT", WAIT,
                    () -> Pattern.compile("SIP/2\\.0 200 OK\\r?\\n(?:[^\\r\\n]+\\r?\\n)*?CSeq: \\d+ BYE")
                            .matcher(lara.output()).find(), lara::diagnosis);
        }
    }

    /**
     * Lara's REGISTER left from 192.168.77.2 with a Contact naming it, was challenged and answered, and the node's
     * 200 says (in the Via it echoes, RFC 3261 §18.2.1 and RFC 3581) that it came from the router: 198.51.100.1.
     */
    private static void registeredThroughTheNat(BaresipPhone lara) {
        String out = lara.output();
        String from = NatNetwork.LAN_HOST + ":5060";
        assertTrue(out.contains("UDP " + from + " -> " + NODE_SIP) && out.contains("Contact: <sip:lara")
                && out.contains("@" + from + ">"), "registered from and with a Contact naming " + from + "\n"
                + lara.diagnosis());
        assertTrue(out.contains("SIP/2.0 401 Unauthorized") && out.contains("Authorization: Digest username=\"lara\""),
                "REGISTER challenged and answered\n" + lara.diagnosis());
        Matcher ok = Pattern.compile("SIP/2\\.0 200 OK\\r?\\n(?:[^\\r\\n]+\\r?\\n)*?CSeq: \\d+ REGISTER")
                .matcher(out);
        assertTrue(ok.find(), "a 200 to the REGISTER\n" + lara.diagnosis());
        String response = out.substring(ok.start(), out.indexOf("\n\r\n", ok.start()) > 0
                ? out.indexOf("\n\r\n", ok.start()) : out.length());
        String via = response.lines().filter(l -> l.startsWith("Via: ")).findFirst().orElse("");
        assertTrue(via.startsWith("Via: SIP/2.0/UDP " + from + ";") && via.contains("received=" + NatNetwork.ROUTER_PUBLIC)
                && !via.contains("received=" + NatNetwork.LAN_HOST), "the node saw the router's address: " + via
                + "\n" + response);
        Matcher rport = Pattern.compile(";rport=(\\d+)").matcher(via);
        assertTrue(rport.find(), via);
        int mapped = Integer.parseInt(rport.group(1));
        assertTrue(mapped >= NatNetwork.MAPPED_PORTS_FROM && mapped <= NatNetwork.MAPPED_PORTS_TO,
                "and the router's port (not lara's 5060): " + via);
    }

    /** The first request of this method that the phone received from the node, with its trace line first. */
    private static String received(BaresipPhone phone, String method) {
        Matcher m = Pattern.compile("(?s)UDP " + Pattern.quote(NODE_SIP) + " -> \\S+\\r?\\n" + method
                + " sip:.*?\\r?\\n\\r?\\n").matcher(phone.output());
        if (!m.find()) {
            throw new AssertionError("no " + method + " from the node\n" + phone.diagnosis());
        }
        return m.group();
    }
}
