package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.auth.Digest.Algorithm;

/** Which digest algorithms a challenge offers an account, given the domain's policy and the digests it has. */
class DigestOfferTest {
    private static final List<Algorithm> BOTH = List.of(Algorithm.SHA_256, Algorithm.MD5);
    private static final Account FULL = new Account("alice", "example.com", "a".repeat(32), "b".repeat(64), true);
    private static final Account MD5_ONLY = new Account("kam", "example.com", "a".repeat(32), "", true);

    @Test
    void anAccountImportedWithItsMd5DigestOnlyIsNotOfferedSha256() {
        assertEquals(List.of(Algorithm.MD5), EntityAuth.offered(BOTH, Optional.of(MD5_ONLY)));
    }

    @Test
    void everyOtherAccountAndAnUnknownUserGetThePolicy() {
        assertEquals(BOTH, EntityAuth.offered(BOTH, Optional.of(FULL)));
        assertEquals(BOTH, EntityAuth.offered(BOTH, Optional.empty()));
    }

    @Test
    void aSha256OnlyPolicyIsKeptEvenIfTheAccountCannotAnswerIt() {
        assertEquals(List.of(Algorithm.SHA_256), EntityAuth.offered(List.of(Algorithm.SHA_256), Optional.of(MD5_ONLY)));
    }
}
