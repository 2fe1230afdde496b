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
        if (!m.plainCallId()) {
            callId(m, callId);
        }
        int maxForwards = m.first(HeaderName.MAX_FORWARDS);
        if (maxForwards >= 0) {
            maxForwards(m, maxForwards);
        }
        Method method = m.plainCseq() ? m.cseqMethodType() : at(m, HeaderIds.CSEQ, m::cseq).methodType();
        if (m instanceof SipRequest r && !method.equals(r.methodType())) {
            throw new SipParseException(m.valueStart(m.first(HeaderIds.CSEQ)),
                    "CSeq method matching the request method " + r.method());
        }
    }

    /**
     * RFC 3261 §7.3.1: a header whose value is not a comma-separated list appears once. Two lines of one that
     * differ leave no single meaning (which Call-ID is the call's? which Content-Length frames the body?), so the
     * message is rejected naming the header (RFC 4475 §3.3.8, §3.3.9). The same value written twice has one
     * meaning and is accepted: rejecting it would protect nothing, and the message is forwarded as it came.
     */
    static void singletons(SipMessage m) {
        for (int i = 0; i < m.headerCount(); i++) {
            int id = m.id(i);
            if (id >= Long.SIZE || (HeaderIds.SINGLETONS & 1L << id) == 0) {
                continue;
            }
            int first = m.first(id);
            if (first != i && !m.value(first).equals(m.value(i))) {
                throw new SipParseException(m.valueStart(i),
                        "one " + HeaderName.ofId(id).display() + " header, not a second with another value");
            }
        }
    }

    /**
     * Call-ID = word ["@" word] (RFC 3261 §25.1). The common shape (visible ASCII) was accepted on the bytes; here
     * what is left. White space inside (also from folding) and control characters are rejected: no word holds them
     * and they make one Call-ID read as two by whoever splits on them. Other characters outside word ({@code =} of
     * base64 Call-IDs, UTF-8) are accepted: the Call-ID is opaque to a proxy, compared byte for byte.
     */
    private static void callId(SipMessage m, int line) {
        String v = m.value(line);
        if (v.isEmpty()) {
            throw new SipParseException(m.valueStart(line), "Call-ID value");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                throw new SipParseException(m.valueStart(line), "Call-ID without white space or control characters");
            }
        }
    }

    /**
     * Max-Forwards = 1*DIGIT (RFC 3261 §20.22). Every proxy decrements it and answers 483 at zero (§16.3 step 3,
     * §16.6 step 3), so a value that is no number is a 400 naming it. Values over 255 are read as they are (RFC
     * 4475 §3.1.2.4 lets an element tolerate them); they saturate at 2^31-1.
     */
    private static void maxForwards(SipMessage m, int line) {
        byte[] b = m.bytes();
        int start = m.valueStart(line);
        int from = start;
        int to = m.lineEnd(line);
        while (from < to && (b[from] & 0xFF) <= ' ') {
            from++; // white space, or the CRLF of a value folded onto the next line
        }
        while (to > from && (b[to - 1] & 0xFF) <= ' ') {
            to--;
        }
        boolean digits = to > from;
        for (int i = from; i < to; i++) {
            digits &= b[i] >= '0' && b[i] <= '9';
        }
        if (!digits) {
            throw new SipParseException(start, "Max-Forwards digits");
        }
    }

    private static int require(SipMessage m, int id, String what) {
        int i = m.first(id);
        if (i < 0) {
            throw new SipParseException(m.headersStart(), what);
        }
        return i;
    }

    /**
     * Runs a typed parser of the header with this id; its error offsets are moved to where the value starts, and
     * its expectation names the header ({@code Via: parameter name}), so the 400's reason says which header is wrong.
     */
    private static <T> T at(SipMessage m, int id, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (SipParseException e) {
            String name = HeaderName.ofId(id).display();
            String expected = e.error().expected();
            throw new SipParseException(m.valueStart(m.first(id)) + e.error().offset(),
                    expected.startsWith(name) ? expected : name + ": " + expected);
        }
    }
}
