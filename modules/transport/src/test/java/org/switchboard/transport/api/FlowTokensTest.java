package org.switchboard.transport.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class FlowTokensTest {
    private static final String SEND_PATH = "akka://switchboard@127.0.0.21:25520/system/sip-send-path#1234";

    @Test
    void aNodeIdIsTheSameOnEveryNodeAndNewForEachIncarnation() {
        String id = FlowTokens.nodeId(SEND_PATH);
        assertEquals(id, FlowTokens.nodeId(SEND_PATH));
        assertTrue(id.matches("[0-9a-f]{8}"), id);
        assertNotEquals(id, FlowTokens.nodeId(SEND_PATH.replace("#1234", "#5678")), "restarted at the same address");
    }

    @Test
    void aTokenNamesItsNodeAndWhetherItMayBeReconnected() {
        String accepted = FlowTokens.token("0a1b2c3d", true, "ffee0011");
        String opened = FlowTokens.token("0a1b2c3d", false, "ffee0011");
        assertEquals(Optional.of("0a1b2c3d"), FlowTokens.owner(accepted));
        assertEquals(Optional.of("0a1b2c3d"), FlowTokens.owner(opened));
        assertFalse(FlowTokens.reconnectable(accepted), "a phone does not listen where it connected from");
        assertTrue(FlowTokens.reconnectable(opened));
        assertNotEquals(accepted, opened);
    }

    @Test
    void aTokenOfAnOlderShapeNamesNoNodeAndIsNotReconnected() {
        assertEquals(Optional.empty(), FlowTokens.owner("0a1b2c3d-ffee0011"));
        assertFalse(FlowTokens.reconnectable("0a1b2c3d-ffee0011"));
        assertEquals(Optional.empty(), FlowTokens.owner("."));
    }
}
