package org.switchboard.sip;

import java.util.ArrayList;
import java.util.List;

/** Small lexical helpers shared by the header value parsers: splitting that respects quotes and angle brackets. */
final class Lexer {
    private Lexer() {
    }

    /** Splits on {@code sep} where it is outside a quoted string and outside {@code <...>}. */
    static List<String> splitOutsideQuotes(String text, char sep) {
        List<String> out = new ArrayList<>(4);
        boolean quoted = false;
        int angle = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>') {
                angle = Math.max(0, angle - 1);
            } else if (c == sep && angle == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    /** Removes surrounding double quotes and backslash escapes from a quoted-string; other text is returned trimmed. */
    static String unquote(String text) {
        String t = text.trim();
        if (t.length() < 2 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
            return t;
        }
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 1; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length() - 1) {
                c = t.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Space, tab, or the CR/LF left inside a folded value (RFC 3261 LWS). */
    static boolean isLws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** The index just past the quoted-string that opens at {@code start}, or -1 when its closing quote is missing. */
    static int endOfQuotedString(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Runs a part parser and moves its error offset by {@code base}, so it points into the enclosing value. */
    static <T> T rebased(int base, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (SipParseException e) {
            throw new SipParseException(base + e.error().offset(), e.error().expected());
        }
    }

    static boolean isTokenChar(char c) {
        return c < 128 && TOKEN[c];
    }

    /** RFC 3261 token characters, as a table: the parser tests every byte of every header name. */
    static final boolean[] TOKEN = table("-.!%*_+`'~");

    /** Letters and digits plus {@code extra}, indexed by ASCII code. */
    static boolean[] table(String extra) {
        boolean[] t = new boolean[128];
        for (char c = '0'; c <= '9'; c++) {
            t[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            t[c] = true;
            t[c - 32] = true;
        }
        for (char c : extra.toCharArray()) {
            t[c] = true;
        }
        return t;
    }

    /** Character classes of a byte, as bits of {@link #CLASSES}: one load per byte tells all of them. */
    static final int TOKEN_BYTE = 1;
    /** Token characters plus the URI paramchar extras of RFC 3261 (and ':' '[' ']' for IPv6 received values). */
    static final int PARAM_BYTE = 2;
    /** What KeyScanner takes for a host name: letters, digits, '-', '.', '_'. */
    static final int HOST_BYTE = 4;
    /** RFC 3261 unreserved, escaped and user-unreserved characters, and ':' before a password. */
    static final int USER_BYTE = 8;
    private static final byte[] CLASSES = new byte[256];

    static {
        boolean[][] tables = {TOKEN, table("-.!%*_+`'~[]/:&$"), table("-._"), table("-_.!~*'()%&=+$,;?/:")};
        for (int c = 0; c < 128; c++) {
            for (int k = 0; k < tables.length; k++) {
                CLASSES[c] |= (byte) (tables[k][c] ? 1 << k : 0);
            }
        }
    }

    /** Whether byte {@code b} is in the class {@code flag}; bytes from 0x80 on are in none. */
    static boolean is(int flag, byte b) {
        return (CLASSES[b & 0xFF] & flag) != 0;
    }
}
