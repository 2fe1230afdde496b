package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BranchesTest {
    private final Branches branches = new Branches("secret");

    @Test
    void derivedBranchesAreDeterministicAndOurs() {
        String b = branches.derive("call|branch|0");
        assertEquals(b, branches.derive("call|branch|0"));
        assertNotEquals(b, branches.derive("call|branch|1"));
        assertTrue(b.startsWith(Via.MAGIC_COOKIE));
        assertTrue(branches.isOurs(b));
    }

    @Test
    void foreignTamperedAndOtherClusterBranchesAreNotOurs() {
        String b = branches.derive("x");
        assertFalse(branches.isOurs("z9hG4bK776asdhds"));
        char last = b.charAt(b.length() - 1);
        assertFalse(branches.isOurs(b.substring(0, b.length() - 1) + (last == '0' ? '1' : '0')));
        assertFalse(new Branches("other secret").isOurs(b));
    }
}
