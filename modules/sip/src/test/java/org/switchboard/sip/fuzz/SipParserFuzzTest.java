package org.switchboard.sip.fuzz;

import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.switchboard.sip.HeaderField;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.Via;
import org.switchboard.sip.auth.DigestCredentials;

/**
 * Any bytes a peer may send: the parser answers Parsed or Malformed, and every typed accessor of a Parsed message
 * either returns or throws {@link SipParseException} (values are parsed lazily, so a bad Contact surfaces only
 * when read). Anything else escaping (IndexOutOfBounds, ClassCast, a hang) is a bug the transport would turn
 * into a dropped connection or a dead actor.
 *
 * <p>{@code mvn test} replays {@code src/test/resources/org/switchboard/sip/fuzz/SipParserFuzzTestInputs/parse/};
 * {@code mvn -B -pl modules/sip test -Pfuzz} fuzzes for maxDuration (see modules/sip/pom.xml).
 */
class SipParserFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] data) {
        if (SipParser.parse(data) instanceof ParseResult.Parsed parsed) {
            SipMessage m = parsed.message();
            // a request of another SIP version is Parsed with its header grammar unchecked, so that the edge can
            // answer 505 (MandatoryHeaders); for SIP/2.0 the routing keys were checked and must read back
            if (!m.isRequest() || m.version().equals("SIP/2.0")) {
                routingKeys(m);
            }
            Accessors.touchAll(m);
        }
    }

    /** MandatoryHeaders checked these before answering Parsed: reading them again must not fail. */
    private static void routingKeys(SipMessage m) {
        m.callId();
        m.cseq();
        m.topVia().branch();
        m.from().tag();
        m.to().tag();
    }

    /** Every typed accessor, each guarded on its own so one bad header does not hide the readers after it. */
    static final class Accessors {
        private Accessors() {
        }

        static void touchAll(SipMessage m) {
            m.version();
            m.bodyLength();
            m.body();
            m.toString();
            m.hashCode();
            for (HeaderField h : m.headerFields()) {
                guarded(() -> m.value(h));
                guarded(() -> m.headers(h.name()));
            }
            guarded(() -> m.vias().stream().map(Accessors::via).toList());
            guarded(() -> via(m.topVia()));
            guarded(() -> nameAddress(m.from()));
            guarded(() -> nameAddress(m.to()));
            guarded(() -> m.contacts().stream().map(Accessors::nameAddress).toList());
            guarded(m::hasWildcardContact);
            guarded(() -> m.routes().stream().map(Accessors::nameAddress).toList());
            guarded(() -> m.recordRoutes().stream().map(Accessors::nameAddress).toList());
            guarded(() -> m.cseq().toString());
            guarded(m::expires);
            guarded(m::maxForwards);
            guarded(() -> m.header(HeaderNames.MIN_EXPIRES).map(SipMessage::parseDelta));
            for (HeaderName auth : List.of(HeaderNames.AUTHORIZATION, HeaderNames.PROXY_AUTHORIZATION)) {
                guarded(() -> m.header(auth).map(DigestCredentials::parse).map(Accessors::credentials));
            }
            guarded(() -> m.edit().removeFirstValue(HeaderNames.VIA).build());
            guarded(() -> m.edit().prepend("Via", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKfuzz").build());
            if (m instanceof SipRequest r) {
                r.method();
                r.requestUriText();
                guarded(() -> uri(r.requestUri()));
                guarded(() -> r.edit().requestUri("sip:fuzz@192.0.2.1").set("Max-Forwards", "69").build());
                // what the transaction layer does to every request it refuses or answers
                guarded(() -> r.response(400, "Bad Request").toTag("fuzz").build());
                guarded(() -> r.response(100, "Trying").build());
            } else if (m instanceof SipResponse s) {
                s.status();
                s.reason();
                s.isProvisional();
                s.isSuccess();
            }
        }

        private static Object via(Via v) {
            v.branch();
            v.received();
            v.wantsRport();
            v.sentBy().toString();
            v.withParam("received", "192.0.2.1").toString();
            guarded(v::rport);
            guarded(v::responseHost);
            guarded(v::responsePort);
            return v.toString();
        }

        private static Object nameAddress(NameAddress a) {
            a.displayName();
            a.tag();
            a.params().toString();
            uri(a.uri());
            return a.withParam("tag", "fuzz").toString();
        }

        private static Object uri(SipUri u) {
            u.isSip();
            u.addressOfRecord();
            u.transport();
            u.portOrDefault();
            u.hostIs("[2001:db8::1]");
            if (!u.equivalent(u) || !SipUri.parse(u.toString()).addressOfRecord().equals(u.addressOfRecord())) {
                throw new AssertionError("URI identity is not reflexive, or changes when written out: " + u);
            }
            return u.toString();
        }

        private static Object credentials(DigestCredentials c) {
            return String.join(",", c.username(), c.realm(), c.nonce(), c.uri(), c.response(), c.algorithm(),
                    c.qop().orElse(""));
        }

        /** Runs one reader; a grammar error in the header it reads is an answer, any other throwable a finding. */
        private static void guarded(Reader reader) {
            try {
                reader.read();
            } catch (SipParseException expected) {
                // the documented way a typed accessor reports a malformed header value
            }
        }

        @FunctionalInterface
        private interface Reader {
            Object read();
        }
    }
}
