package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BranchesTest {
    private final Branches branches = new Branches("secret-of-this-test");

    @Test
    void derivedBranchesAreDeterministicAndOursForTheirCallOnly() {
        String b = branches.derive("call-1", "branch|0");
        assertEquals(b, branches.derive("call-1", "branch|0"));
        assertNotEquals(b, branches.derive("call-1", "branch|1"));
        assertTrue(b.startsWith(Via.MAGIC_COOKIE));
        assertTrue(branches.isOurs(b, "call-1"));
        assertFalse(branches.isOurs(b, "call-2"), "a branch of one call vouches for no other call");
        assertFalse(branches.isOurs(b, "CALL-1"), "Call-IDs compare case-sensitively");
    }

    @Test
    void theMacHas128Bits() {
        String b = branches.derive("c", "s");
        assertEquals("z9hG4bKsb".length() + 16 + 32, b.length());
        assertEquals(32, branches.dialogToken("c", "tag").length());
    }

    @Test
    void foreignTamperedAndOtherClusterBranchesAreNotOurs() {
        String b = branches.derive("c", "x");
        assertFalse(branches.isOurs("z9hG4bK776asdhds", "c"));
        for (int i = "z9hG4bKsb".length(); i < b.length(); i++) {
            char flipped = b.charAt(i) == '0' ? '1' : '0';
            String tampered = b.substring(0, i) + flipped + b.substring(i + 1);
            assertFalse(branches.isOurs(tampered, "c"), "tampered at " + i);
        }
        assertFalse(new Branches("other secret").isOurs(b, "c"));
    }

    @Test
    void refusalTagsAreBoundToTheirCallIdAndCluster() {
        String tag = branches.refusalTag("call-1");
        assertTrue(branches.isRefusalTag(tag, "call-1"));
        assertFalse(branches.isRefusalTag(tag, "call-2"));
        assertFalse(new Branches("other secret").isRefusalTag(tag, "call-1"));
        assertFalse(branches.isRefusalTag(tag.substring(0, tag.length() - 1) + (tag.endsWith("0") ? "1" : "0"), "call-1"));
        assertFalse(branches.isRefusalTag("3517U9", "call-1"), "a callee's own tag");
    }

    @Test
    void dialogTokensAreBoundToCallIdAndCallerTag() {
        String token = branches.dialogToken("call-1", "a73kszlfl");
        assertTrue(branches.isDialogToken(token, "call-1", "a73kszlfl"));
        assertFalse(branches.isDialogToken(token, "call-2", "a73kszlfl"));
        assertFalse(branches.isDialogToken(token, "call-1", "other-tag"));
        assertFalse(new Branches("other secret").isDialogToken(token, "call-1", "a73kszlfl"));
        assertFalse(branches.isDialogToken(token.substring(1), "call-1", "a73kszlfl"));
        // no ambiguity between where the Call-ID ends and the tag begins
        assertNotEquals(branches.dialogToken("a:b", "c"), branches.dialogToken("a", "b:c"));
    }
}
