package org.switchboard.sip;

/** The headers every request and response must carry (RFC 3261 §8.1.1), each checked for its grammar. */
final class MandatoryHeaders {
    private MandatoryHeaders() {
    }

    static void check(SipMessage m) {
        HeaderField via = require(m, HeaderNames.VIA, "Via header");
        HeaderField from = require(m, HeaderNames.FROM, "From header");
        HeaderField to = require(m, HeaderNames.TO, "To header");
        HeaderField callId = require(m, HeaderNames.CALL_ID, "Call-ID header");
        HeaderField cseq = require(m, HeaderNames.CSEQ, "CSeq header");
        if (m instanceof SipRequest r && !r.version().equals("SIP/2.0")) {
            // Another version's header grammar is not ours to judge (its Via says SIP/7.0/UDP, RFC 4475
            // §3.1.2.16); the headers being present is enough for the edge to answer 505 Version Not Supported.
            return;
        }
        at(via, () -> m.topVia());
        at(from, () -> m.from());
        at(to, () -> m.to());
        if (m.value(callId).isEmpty()) {
            throw new SipParseException(callId.valueStart(), "Call-ID value");
        }
        CSeq parsed = at(cseq, m::cseq);
        if (m instanceof SipRequest r && !parsed.method().equals(r.method())) {
            throw new SipParseException(cseq.valueStart(), "CSeq method matching the request method " + r.method());
        }
    }

    private static HeaderField require(SipMessage m, String name, String what) {
        for (HeaderField h : m.headerFields()) {
            if (h.name().equals(name)) {
                return h;
            }
        }
        throw new SipParseException(m.headersStart(), what);
    }

    private static <T> T at(HeaderField h, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (SipParseException e) {
            throw new SipParseException(h.valueStart() + e.error().offset(), e.error().expected());
        }
    }
}
