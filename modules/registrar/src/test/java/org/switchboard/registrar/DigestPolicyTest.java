package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.sip.auth.Digest.Algorithm.MD5;
import static org.switchboard.sip.auth.Digest.Algorithm.SHA_256;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Which challenges a realm is offered: the default list, or the list its domain opted in to. */
class DigestPolicyTest {

    private static Config registrar(String text) {
        return ConfigFactory.parseString(text).withFallback(ConfigFactory.parseString(
                "digest-algorithms = [MD5]\ndigest-algorithms-by-domain {}"));
    }

    @Test
    void withoutADomainListEveryRealmGetsTheDefault() {
        // the node's reference.conf ships these two values (SoftphoneInteropTest runs a node on them)
        DigestPolicy policy = DigestPolicy.fromConfig(registrar(""));
        assertEquals(List.of(MD5), policy.offeredFor("sip.test"));
        assertEquals(List.of(MD5), policy.offeredFor("secure.example.com"));
        assertEquals(DigestPolicy.INTEROPERABLE, policy);
    }

    @Test
    void aDomainThatOptedInGetsItsOwnListInItsOwnOrderAndTheOthersTheDefault() {
        DigestPolicy policy = DigestPolicy.fromConfig(registrar(
                "digest-algorithms-by-domain { \"secure.example.com\" = [SHA-256, MD5], \"strict.example.com\" = [SHA-256] }"));
        assertEquals(List.of(SHA_256, MD5), policy.offeredFor("secure.example.com"));
        assertEquals(List.of(SHA_256), policy.offeredFor("strict.example.com"));
        assertEquals(List.of(MD5), policy.offeredFor("example.com"), "a parent domain is another realm");
        assertEquals(List.of(MD5), policy.offeredFor("sub.secure.example.com"), "and so is a subdomain");
    }

    @Test
    void realmsCompareCaseInsensitivelyAsHostNamesDo() {
        DigestPolicy policy = DigestPolicy.of(List.of(MD5)).withDomain("Secure.Example.COM", List.of(SHA_256, MD5));
        assertEquals(List.of(SHA_256, MD5), policy.offeredFor("secure.example.com"));
        assertEquals(List.of(SHA_256, MD5), policy.offeredFor("SECURE.example.com"));
    }

    @Test
    void theGlobalKeyStillSetsTheDefault() {
        DigestPolicy policy = DigestPolicy.fromConfig(registrar("digest-algorithms = [MD5, SHA-256]"));
        assertEquals(List.of(MD5, SHA_256), policy.offeredFor("any.example.com"));
    }

    @Test
    void aMistakeIsRefusedAtStartNamingTheKey() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> DigestPolicy.fromConfig(
                registrar("digest-algorithms-by-domain { \"a.example.com\" = [SHA-512] }")));
        assertTrue(unknown.getMessage().contains("digest-algorithms-by-domain.a.example.com: unknown SHA-512"),
                unknown.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> DigestPolicy.fromConfig(
                registrar("digest-algorithms-by-domain { \"a.example.com\" = [] }")));
        assertTrue(empty.getMessage().contains("at least one"), empty.getMessage());
        IllegalArgumentException notAList = assertThrows(IllegalArgumentException.class, () -> DigestPolicy.fromConfig(
                registrar("digest-algorithms-by-domain { \"a.example.com\" = MD5 }")));
        assertTrue(notAList.getMessage().contains("a list"), notAList.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DigestPolicy.fromConfig(registrar("digest-algorithms = []")));
        assertThrows(IllegalArgumentException.class,
                () -> new DigestPolicy(List.of(MD5, MD5), Map.of()), "an algorithm listed twice");
    }
}
