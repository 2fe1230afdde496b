package org.switchboard.sip.rfc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.sip.SipUri;

/**
 * RFC 3261 §19.1.4 (URI comparison) and §10.3 step 5 (the address-of-record key): one test per rule, and every
 * pair of the RFC's own examples. Equivalence is checked both ways round, since the rule is symmetric.
 */
class Rfc3261UriComparisonTest {

    private static void same(String a, String b) {
        assertTrue(SipUri.parse(a).equivalent(SipUri.parse(b)), a + " should equal " + b);
        assertTrue(SipUri.parse(b).equivalent(SipUri.parse(a)), b + " should equal " + a);
    }

    private static void differ(String a, String b) {
        assertFalse(SipUri.parse(a).equivalent(SipUri.parse(b)), a + " should differ from " + b);
        assertFalse(SipUri.parse(b).equivalent(SipUri.parse(a)), b + " should differ from " + a);
    }

    @Nested
    @DisplayName("the RFC's examples")
    class Examples {
        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', value = {
                "sip:%61lice@atlanta.com;transport=TCP | sip:alice@AtLanTa.CoM;Transport=tcp",
                "sip:carol@chicago.com | sip:carol@chicago.com;newparam=5",
                "sip:carol@chicago.com | sip:carol@chicago.com;security=on",
                "sip:carol@chicago.com;newparam=5 | sip:carol@chicago.com;security=on",
                "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com"
                        + " | sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
                "sip:alice@atlanta.com?subject=project%20x&priority=urgent"
                        + " | sip:alice@atlanta.com?priority=urgent&subject=project%20x"})
        void equivalent(String a, String b) {
            same(a, b);
        }

        @ParameterizedTest(name = "{0} <> {1}")
        @CsvSource(delimiter = '|', value = {
                "SIP:ALICE@AtLanTa.CoM;Transport=udp | sip:alice@AtLanTa.CoM;Transport=UDP", // different usernames
                "sip:bob@biloxi.com | sip:bob@biloxi.com:5060", // can resolve to different ports
                "sip:bob@biloxi.com | sip:bob@biloxi.com;transport=udp", // can resolve to different transports
                "sip:bob@biloxi.com | sip:bob@biloxi.com:6000;transport=tcp", // different port and transports
                "sip:carol@chicago.com | sip:carol@chicago.com?Subject=next%20meeting", // different header component
                "sip:bob@phone21.boxesbybob.com | sip:bob@192.0.2.4"}) // even if that is what the name resolves to
        void notEquivalent(String a, String b) {
            differ(a, b);
        }

        @Test
        @DisplayName("not transitive: ;security=on and ;security=off each equal the URI without it, not each other")
        void notTransitive() {
            same("sip:carol@chicago.com", "sip:carol@chicago.com;security=off");
            differ("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off");
        }
    }

    @Nested
    @DisplayName("each rule")
    class Rules {
        @Test
        @DisplayName("a SIP and a SIPS URI are never equivalent")
        void sipIsNotSips() {
            differ("sip:alice@atlanta.com", "sips:alice@atlanta.com");
            same("SIPS:alice@atlanta.com", "sips:alice@atlanta.com"); // the scheme itself folds case
        }

        @Test
        @DisplayName("userinfo is case-sensitive, passwords and telephone-subscribers included")
        void userinfoCaseSensitive() {
            differ("sip:alice@atlanta.com", "sip:Alice@atlanta.com");
            differ("sip:alice:secret@atlanta.com", "sip:alice:Secret@atlanta.com");
            differ("sip:+1-212-555-1212;ext=a@atlanta.com;user=phone", "sip:+1-212-555-1212;ext=A@atlanta.com;user=phone");
            same("sip:alice:secret@atlanta.com", "sip:alice:%73ecret@atlanta.com");
        }

        @Test
        @DisplayName("host, parameter names and values, and header names are case-insensitive")
        void otherComponentsFoldCase() {
            same("sip:alice@ATLANTA.com;TRANSPORT=TCP;LR", "sip:alice@atlanta.COM;transport=tcp;lr");
            same("sip:alice@atlanta.com?SUBJECT=hi", "sip:alice@atlanta.com?subject=hi");
        }

        @Test
        @DisplayName("an unreserved character equals its %HH escape, in any hex case")
        void unreservedEscapes() {
            same("sip:%41lice@atlanta.com", "sip:Alice@atlanta.com");
            same("sip:alice%2d1@atlanta.com", "sip:alice-1@atlanta.com");
            same("sip:a%7e%2A@atlanta.com", "sip:a~*@atlanta.com");
            same("sip:a%20b@atlanta.com", "sip:a%20b@atlanta.com");
            same("sip:alice@atlanta.com;x=%41b", "sip:alice@atlanta.com;x=ab"); // and values fold case
            differ("sip:%61lice@atlanta.com", "sip:Alice@atlanta.com"); // %61 is 'a'
        }

        @Test
        @DisplayName("an escaped reserved character is not the character itself")
        void reservedEscapesDiffer() {
            differ("sip:a%3Bb@atlanta.com", "sip:a;b@atlanta.com");
            differ("sip:a%2Cb@atlanta.com", "sip:a,b@atlanta.com");
            same("sip:a%3bb@atlanta.com", "sip:a%3Bb@atlanta.com"); // but the hex digits fold case
        }

        @Test
        @DisplayName("user, password, host and port must all match; absent is not the default value")
        void userPasswordHostPort() {
            differ("sip:atlanta.com", "sip:alice@atlanta.com");
            differ("sip:alice@atlanta.com", "sip:alice:secret@atlanta.com");
            differ("sip:alice@atlanta.com:5060", "sip:alice@atlanta.com:5070");
            differ("sips:alice@atlanta.com", "sips:alice@atlanta.com:5061");
            same("sip:alice@atlanta.com:5060", "sip:alice@atlanta.com:5060");
        }

        @ParameterizedTest(name = "{0} in one URI only never matches")
        @CsvSource({"user=ip", "user=phone", "ttl=1", "method=INVITE", "maddr=239.255.255.1", "transport=udp"})
        void parametersThatMustBeInBoth(String param) {
            differ("sip:alice@atlanta.com", "sip:alice@atlanta.com;" + param);
            same("sip:alice@atlanta.com;" + param, "sip:alice@atlanta.com;" + param);
        }

        @Test
        @DisplayName("any parameter in both must match; any other in one only is ignored")
        void otherParameters() {
            differ("sip:alice@atlanta.com;lr;x=1", "sip:alice@atlanta.com;x=2");
            differ("sip:alice@atlanta.com;transport=udp", "sip:alice@atlanta.com;transport=tcp");
            same("sip:alice@atlanta.com;lr", "sip:alice@atlanta.com");
            same("sip:alice@atlanta.com;x=1;y=2", "sip:alice@atlanta.com;y=2;x=1");
        }

        @Test
        @DisplayName("a parameter written twice (found by fuzzing): a URI matches itself, and only the same values")
        void parameterWrittenTwice() {
            String twice = "sips:alice@[2001:db8::1]:5071;transport=t:db8::1]:5071;transport=tls";
            same(twice, twice);
            same(twice, "sips:alice@[2001:db8::1]:5071;TRANSPORT=T:DB8::1]:5071;transport=TLS");
            differ(twice, "sips:alice@[2001:db8::1]:5071;transport=tls;transport=t:db8::1]:5071");
            differ(twice, "sips:alice@[2001:db8::1]:5071;transport=tls");
        }

        @Test
        @DisplayName("header components are never ignored, their order is not significant")
        void headerComponents() {
            differ("sip:alice@atlanta.com?subject=a", "sip:alice@atlanta.com?subject=b");
            differ("sip:alice@atlanta.com?subject=a", "sip:alice@atlanta.com?subject=a&priority=urgent");
            same("sip:alice@atlanta.com?a=1&b=2", "sip:alice@atlanta.com?b=2&a=1");
        }

        @Test
        @DisplayName("IPv6 references are one address however written; never a DNS lookup")
        void ipv6() {
            same("sip:alice@[2001:DB8::1]", "sip:alice@[2001:db8:0:0:0:0:0:1]");
            differ("sip:alice@[2001:db8::1]", "sip:alice@[2001:db8::2]");
            differ("sip:alice@localhost", "sip:alice@127.0.0.1");
        }

        @Test
        @DisplayName("tel URIs: visual separators do not count")
        void tel() {
            same("tel:+1-201-555-0123", "tel:+12015550123");
            differ("tel:+12015550123", "sip:+12015550123@atlanta.com;user=phone");
        }
    }

    @Nested
    @DisplayName("the address-of-record key (RFC 3261 §10.3 step 5)")
    class AddressOfRecord {
        @Test
        @DisplayName("all URI parameters removed, including user; headers and password too")
        void parametersRemoved() {
            assertEquals("sip:alice@atlanta.com",
                    SipUri.parse("sip:alice:pw@atlanta.com;transport=tcp;user=ip;lr?subject=x").addressOfRecord());
        }

        @Test
        @DisplayName("escaped characters unescaped; the user keeps its case, the host folds it")
        void escapesAndCase() {
            assertEquals("sip:Alice@example.com", SipUri.parse("sip:%41lice@EXAMPLE.com;transport=udp").addressOfRecord());
            assertEquals(SipUri.parse("sip:Alice@example.com").addressOfRecord(),
                    SipUri.parse("sip:%41lice@Example.COM").addressOfRecord());
            assertNotEquals(SipUri.parse("sip:alice@example.com").addressOfRecord(),
                    SipUri.parse("sip:Alice@example.com").addressOfRecord());
            // §10.3 unescapes every escape, reserved ones too: ';' may stand in a user part as it is
            assertEquals("sip:a;b@example.com", SipUri.parse("sip:a%3bb@example.com").addressOfRecord());
        }

        @Test
        @DisplayName("one spelling: what a user part cannot hold stays escaped, upper-case hex")
        void canonicalSpelling() {
            assertEquals("sip:a%40b%20c%3A@example.com", SipUri.parse("sip:a%40b%20c%3a@example.com").addressOfRecord());
            assertEquals("sip:null-%00-null@example.com", SipUri.parse("sip:null-%00-null@example.com").addressOfRecord());
        }

        @Test
        @DisplayName("the port is part of the URI, not a parameter: it stays")
        void portStays() {
            assertEquals("sip:alice@example.com:5070", SipUri.parse("sip:alice@example.com:5070").addressOfRecord());
            assertNotEquals(SipUri.parse("sip:alice@example.com").addressOfRecord(),
                    SipUri.parse("sip:alice@example.com:5060").addressOfRecord());
        }

        @Test
        @DisplayName("sips and sip are separate addresses")
        void schemeStays() {
            assertEquals("sips:alice@example.com", SipUri.parse("SIPS:alice@example.com").addressOfRecord());
        }
    }

    @Nested
    @DisplayName("recognising an address (not a comparison)")
    class Addresses {
        @Test
        void defaultPortByTransport() {
            assertEquals(5060, SipUri.parse("sip:p.example.com;lr").portOrDefault());
            assertEquals(5061, SipUri.parse("sips:p.example.com;lr").portOrDefault());
            assertEquals(5061, SipUri.parse("sip:p.example.com;transport=TLS").portOrDefault());
            assertEquals(5080, SipUri.parse("sips:p.example.com:5080").portOrDefault());
        }

        @Test
        void hostIs() {
            assertTrue(SipUri.parse("sip:P.Example.COM").hostIs("p.example.com"));
            assertTrue(SipUri.parse("sip:[::1]:5060").hostIs("0:0:0:0:0:0:0:1"));
            assertTrue(SipUri.parse("sip:[::1]:5060").hostIs("[::1]"));
            assertFalse(SipUri.parse("sip:127.0.0.1").hostIs("localhost"));
        }
    }
}
