package org.switchboard.sip;

/** The CSeq header: sequence number and method (its token; {@link #methodType()} for the type). */
public record CSeq(long number, String method) {
    public CSeq(long number, Method method) {
        this(number, method.name());
    }

    public static CSeq parse(String text) {
        String t = text.trim();
        int sp = 0;
        while (sp < t.length() && !Character.isWhitespace(t.charAt(sp))) {
            sp++;
        }
        if (sp == 0 || sp == t.length()) {
            throw new SipParseException(0, "CSeq number and method");
        }
        long n = 0;
        for (int i = 0; i < sp; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9' || i > 9) {
                throw new SipParseException(i, "CSeq number below 2^31");
            }
            n = n * 10 + (c - '0');
        }
        if (n > 0x7FFFFFFFL) {
            throw new SipParseException(0, "CSeq number below 2^31");
        }
        String method = t.substring(sp).trim();
        for (int i = 0; i < method.length(); i++) {
            if (!Lexer.isTokenChar(method.charAt(i))) {
                throw new SipParseException(sp + i, "CSeq method token");
            }
        }
        return new CSeq(n, method);
    }

    /** The method: a constant for the known ones (no allocation), an extension method otherwise. */
    public Method methodType() {
        return Method.of(method);
    }

    @Override
    public String toString() {
        return number + " " + method;
    }
}
