package org.switchboard.transport.hep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class HepSettingsTest {
    @Test
    void offIsEmptyOnIsTheResolvedCollector() {
        assertTrue(HepSettings.fromConfig(hep("enabled = off")).isEmpty());
        HepSettings on = HepSettings.fromConfig(hep("enabled = on, collector = \"127.0.0.1:9061\", sample = 0.25"))
                .orElseThrow();
        assertEquals(new InetSocketAddress("127.0.0.1", 9061), on.collector());
        assertEquals(0.25, on.sampling().rate());
        assertEquals(2001, on.agentId());
        assertEquals(Optional.empty(), on.nodeName());
        assertEquals(10_000, on.queue());
        assertEquals(new InetSocketAddress("::1", 9060),
                HepSettings.fromConfig(hep("enabled = on, collector = \"[::1]:9060\"")).orElseThrow().collector());
        assertEquals(Optional.of("edge-1"),
                HepSettings.fromConfig(hep("enabled = on, node-name = edge-1")).orElseThrow().nodeName());
    }

    @Test
    void aBadCollectorIsRefusedWithItsKeyAndWhy() {
        assertEquals("switchboard.capture.hep.collector \"homer\": host:port is needed, e.g. \"homer.example.net:9060\"",
                refused("enabled = on, collector = homer"));
        assertTrue(refused("enabled = on, collector = \"homer:0\"").endsWith("the port must be a number 1-65535"));
        assertTrue(refused("enabled = on, collector = \"homer:http\"").endsWith("the port must be a number 1-65535"));
        assertTrue(refused("enabled = on, collector = \"::1:9060\"").contains("[address]:port"));
        assertTrue(refused("enabled = on, collector = \":9060\"").endsWith("the host is missing"));
        // a resolver of the test's, that knows no name: no DNS server is asked
        HepSettings.Resolver none = host -> {
            throw new UnknownHostException(host);
        };
        assertEquals("switchboard.capture.hep.collector \"homer.invalid:9060\": host homer.invalid cannot be resolved",
                assertThrows(IllegalArgumentException.class, () -> HepSettings.fromConfig(
                        hep("enabled = on, collector = \"homer.invalid:9060\""), none)).getMessage());
        // off: the form is checked, the name is not looked up
        assertTrue(HepSettings.fromConfig(hep("enabled = off, collector = \"homer.invalid:9060\""), none).isEmpty());
        assertTrue(refused("enabled = off, collector = homer").contains("host:port is needed"));
    }

    @Test
    void theOtherValuesAreCheckedToo() {
        assertTrue(refused("agent-id = -1").startsWith("switchboard.capture.hep.agent-id must be 0 to 4294967295"));
        assertTrue(refused("agent-id = 4294967296").startsWith("switchboard.capture.hep.agent-id"));
        assertTrue(refused("sample = 1.5").startsWith("switchboard.capture.hep.sample must be 0 to 1"));
        assertTrue(refused("queue = 0").startsWith("switchboard.capture.hep.queue must be at least 1"));
    }

    private static String refused(String settings) {
        return assertThrows(IllegalArgumentException.class, () -> HepSettings.fromConfig(hep(settings))).getMessage();
    }

    private static Config hep(String settings) {
        return ConfigFactory.parseString(settings).withFallback(ConfigFactory.parseString(
                "enabled = off, collector = \"127.0.0.1:9060\", agent-id = 2001, node-name = \"\", sample = 1.0, "
                        + "queue = 10000"));
    }
}
