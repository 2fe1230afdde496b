package org.switchboard.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** The check of a user's switchboard { } tree against reference.conf: unknown keys and values of the wrong kind. */
class ConfigSchemaTest {
    private static final Config REFERENCE = ConfigFactory.defaultReference();
    private static final ConfigSchema SCHEMA = ConfigSchema.of(REFERENCE);

    @Test
    void theDefaultsThemselvesPass() {
        assertEquals(List.of(), SCHEMA.problems(REFERENCE.resolve()));
    }

    @Test
    void aMisspelledKeyIsNamedWithTheKeyItWasMeantToBe() {
        List<String> problems = problems("""
                switchboard {
                  sip {
                    prot = 5070
                  }
                }""");
        assertEquals(List.of("user.conf: 3: unknown key switchboard.sip.prot (did you mean switchboard.sip.port?)"),
                problems);
    }

    @Test
    void everyUnknownKeyIsListedOnce() {
        List<String> problems = problems("""
                switchboard.registrar.max-binding = 3
                switchboard.sipp { port = 5070, host = "0.0.0.0" }
                switchboard.warmup.enabled = off
                """);
        assertEquals(List.of(
                "user.conf: 1: unknown key switchboard.registrar.max-binding (did you mean switchboard.registrar.max-bindings?)",
                "user.conf: 2: unknown key switchboard.sipp (did you mean switchboard.sip?)",
                "user.conf: 3: unknown key switchboard.warmup (did you mean switchboard.warm-up?)"), problems);
    }

    @Test
    void keysThatAreTheUsersOwnAreNotChecked() {
        List<String> problems = problems("""
                switchboard {
                  proxy.routes { "pstn.example.net" = "sip:10.1.2.3:5060", "*" = "sip:trunk.example.net" }
                  proxy.trusted-peers = ["10.0.0.0/8"]
                  security.trusted-peers = ["192.0.2.10/32"]
                  registrar.digest-algorithms-by-domain { "secure.example.com" = [SHA-256, MD5] }
                  sip.tls.sni = [ { host = "example.com", certificate = "/x.crt", private-key = "/x.key" } ]
                  cluster.seed-nodes = ["akka://switchboard@127.0.0.2:25520"]
                  dns.servers = ["127.0.0.1:5353"]
                  domains = [example.com]
                }
                akka.discovery.config.services.switchboard.endpoints = [ { host = "127.0.0.1", port = 8558 } ]
                akka.anything-at-all = 1
                """);
        assertEquals(List.of(), problems);
    }

    @Test
    void listsGivenAsSystemPropertiesStillRead() {
        // -Dswitchboard.security.trusted-peers.0=127.0.0.1/32, as the end-to-end tests start their nodes
        Config properties = ConfigFactory.parseMap(java.util.Map.of("switchboard.security.trusted-peers.0", "127.0.0.1/32"));
        assertEquals(List.of(), SCHEMA.problems(properties.withFallback(REFERENCE).resolve()));
    }

    @Test
    void aValueTheNodeCannotReadAsItsKindIsNamed() {
        List<String> problems = problems("""
                switchboard.session.t1 = soon
                switchboard.sip.port = "five thousand"
                switchboard.security.overload.enabled = maybe
                switchboard.security.tcp.write-buffer-high = lots
                switchboard.domains = example.com
                switchboard.data-dir = [a, b]
                """);
        assertEquals(List.of(
                "user.conf: 6: switchboard.data-dir must be a string, not [\"a\",\"b\"]",
                "user.conf: 5: switchboard.domains must be a list of strings such as [\"a\", \"b\"], not \"example.com\"",
                "user.conf: 3: switchboard.security.overload.enabled must be on or off, not \"maybe\"",
                "user.conf: 4: switchboard.security.tcp.write-buffer-high must be a size in bytes such as 65536 or 64KiB, not \"lots\"",
                "user.conf: 1: switchboard.session.t1 must be a duration such as 500ms, 30s or 12h, not \"soon\"",
                "user.conf: 2: switchboard.sip.port must be a whole number, not \"five thousand\""), problems);
    }

    @Test
    void valuesOfEveryRightKindPass() {
        List<String> problems = problems("""
                switchboard.session.t1 = 250ms
                switchboard.session.max-call-duration = off
                switchboard.policy.media-encryption = require-with-tls
                switchboard.sip.port = "5070"
                switchboard.security.overload.enabled = false
                switchboard.security.tcp.write-buffer-high = 131072
                switchboard.registrar.flow-timer = 0
                switchboard.roles = [core]
                """);
        assertEquals(List.of(), problems);
    }

    @Test
    void aSecretOfTheWrongKindIsNamedButNotShown() {
        List<String> problems = problems("switchboard.journal.password = [\"hunter2-and-more\"]");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("user.conf: 1: switchboard.journal.password must be a string, not a list"),
                problems.get(0));
        assertFalse(problems.get(0).contains("hunter2"), problems.get(0));
    }

    @Test
    void aSectionReplacedByAValueIsNamedOnce() {
        assertEquals(List.of("user.conf: 1: switchboard.sip must be a section { ... }, not 5060"),
                problems("switchboard.sip = 5060"));
    }

    @Test
    void keysDeclaredByHandAreKeysOfTheReference() {
        SCHEMA.leaves().forEach((path, kind) -> assertTrue(REFERENCE.hasPath(path), path));
        assertEquals(Kind.LIST, SCHEMA.leaves().get("switchboard.sip.tls.sni"));
        assertEquals(Kind.MAP, SCHEMA.leaves().get("switchboard.proxy.routes"));
        assertEquals(Kind.MAP, SCHEMA.leaves().get("switchboard.registrar.digest-algorithms-by-domain"));
        assertEquals(Kind.STRING, SCHEMA.leaves().get("switchboard.policy.media-encryption"));
    }

    private static List<String> problems(String userConfig) {
        Config user = ConfigFactory.parseString(userConfig,
                com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("user.conf"));
        return SCHEMA.problems(user.withFallback(REFERENCE).resolve());
    }
}
