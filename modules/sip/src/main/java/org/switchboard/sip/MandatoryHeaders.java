package org.switchboard.sip;

/**
 * The headers every request and response must carry (RFC 3261 §8.1.1), each checked for its grammar.
 * The plain shape of each (nearly every message) is checked on the bytes by {@link KeyScanner}; anything else
 * goes through the typed parser, which accepts it or throws the error with its offset.
 */
final class MandatoryHeaders {
    private MandatoryHeaders() {
    }

    static void check(SipMessage m) {
        // a header KeyScanner found plain is present: only the others need looking for (errors in the same order)
        boolean plainVia = m.topViaBranchRange() != KeyScanner.UNSURE;
        long fromTag = m.fromTagRange();
        boolean plainTo = m.toTagRange() != KeyScanner.UNSURE;
        if (!plainVia) {
            require(m, HeaderIds.VIA, "Via header");
        }
        if (fromTag == KeyScanner.UNSURE) {
            require(m, HeaderIds.FROM, "From header");
        }
        if (!plainTo) {
            require(m, HeaderIds.TO, "To header");
        }
        if (!m.plainCallId()) {
            require(m, HeaderIds.CALL_ID, "Call-ID header");
        }
        if (!m.plainCseq()) {
            require(m, HeaderIds.CSEQ, "CSeq header");
        }
        if (m instanceof SipRequest r && !r.version().equals(StartLine.SIP_2_0)) {
            // Another version's header grammar is not ours to judge (its Via says SIP/7.0/UDP, RFC 4475
            // §3.1.2.16); the headers being present is enough for the edge to answer 505 Version Not Supported.
            return;
        }
        if (!plainVia) {
            at(m, HeaderIds.VIA, m::topVia);
        }
        if (fromTag == KeyScanner.UNSURE) {
            at(m, HeaderIds.FROM, m::from);
        }
        if (!plainTo) {
            at(m, HeaderIds.TO, m::to);
        }
        int callId = m.first(HeaderIds.CALL_ID);
        if (!m.plainCallId() && m.value(callId).isEmpty()) {
            throw new SipParseException(m.valueStart(callId), "Call-ID value");
        }
        Method method = m.plainCseq() ? m.cseqMethodType() : at(m, HeaderIds.CSEQ, m::cseq).methodType();
        if (m instanceof SipRequest r && !method.equals(r.methodType())) {
            throw new SipParseException(m.valueStart(m.first(HeaderIds.CSEQ)),
                    "CSeq method matching the request method " + r.method());
        }
    }

    private static int require(SipMessage m, int id, String what) {
        int i = m.first(id);
        if (i < 0) {
            throw new SipParseException(m.headersStart(), what);
        }
        return i;
    }

    /** Runs a typed parser of the header with this id; its error offsets are moved to where the value starts. */
    private static <T> T at(SipMessage m, int id, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (SipParseException e) {
            throw new SipParseException(m.valueStart(m.first(id)) + e.error().offset(), e.error().expected());
        }
    }
}
