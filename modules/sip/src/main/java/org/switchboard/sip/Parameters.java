package org.switchboard.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An ordered, immutable list of {@code ;name[=value]} parameters; written back in the order read. */
public record Parameters(List<Param> list) {
    public static final Parameters EMPTY = new Parameters(List.of());

    public Parameters {
        list = List.copyOf(list);
    }

    /**
     * Parses {@code ;a=b;c} (the leading semicolon optional), with LWS allowed around {@code ;} and {@code =}.
     * Quoted values keep their quotes. Each parameter needs a name (RFC 3261 generic-param, uri-parameter), so
     * stray separators such as {@code ;;} are a grammar error (RFC 4475 §3.1.2.1); error offsets are into
     * {@code text}.
     */
    public static Parameters parse(String text) {
        List<Param> out = new ArrayList<>();
        int n = text.length();
        int i = skipLws(text, 0);
        if (i < n && text.charAt(i) == ';') {
            i++;
        }
        if (skipLws(text, i) == n) {
            if (i > 0 && text.charAt(i - 1) == ';') {
                throw new SipParseException(i, "parameter name after ';'");
            }
            return EMPTY;
        }
        while (true) {
            i = skipLws(text, i);
            int nameStart = i;
            while (i < n && isParamChar(text.charAt(i))) {
                i++;
            }
            if (i == nameStart) {
                throw new SipParseException(i, "parameter name");
            }
            String name = text.substring(nameStart, i);
            i = skipLws(text, i);
            Optional<String> value = Optional.empty();
            if (i < n && text.charAt(i) == '=') {
                i = skipLws(text, i + 1);
                int valueStart = i;
                if (i < n && text.charAt(i) == '"') {
                    i = Lexer.endOfQuotedString(text, i);
                    if (i < 0) {
                        throw new SipParseException(valueStart, "closing '\"' of the parameter value");
                    }
                } else {
                    while (i < n && isParamChar(text.charAt(i))) {
                        i++;
                    }
                }
                if (i == valueStart) {
                    throw new SipParseException(i, "parameter value after '='");
                }
                value = Optional.of(text.substring(valueStart, i));
                i = skipLws(text, i);
            }
            out.add(new Param(name, value));
            if (i == n) {
                return new Parameters(out);
            }
            if (text.charAt(i) != ';') {
                throw new SipParseException(i, "';' between parameters");
            }
            i++;
        }
    }

    /** token characters plus the URI paramchar extras of RFC 3261 (and ':' '[' ']' for IPv6 received values). */
    private static boolean isParamChar(char c) {
        return Lexer.isTokenChar(c) || "[]/:&+$".indexOf(c) >= 0;
    }

    private static int skipLws(String text, int from) {
        int i = from;
        while (i < text.length() && Lexer.isLws(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The value of a parameter; an empty string for a parameter present without a value. */
    public Optional<String> get(String name) {
        for (Param p : list) {
            if (p.name().equalsIgnoreCase(name)) {
                return Optional.of(p.value().orElse(""));
            }
        }
        return Optional.empty();
    }

    public boolean has(String name) {
        return get(name).isPresent();
    }

    /** A copy with the parameter set (replaced in place if present, appended otherwise). */
    public Parameters with(String name, Optional<String> value) {
        List<Param> out = new ArrayList<>(list.size() + 1);
        boolean replaced = false;
        for (Param p : list) {
            if (!replaced && p.name().equalsIgnoreCase(name)) {
                out.add(new Param(p.name(), value));
                replaced = true;
            } else {
                out.add(p);
            }
        }
        if (!replaced) {
            out.add(new Param(name, value));
        }
        return new Parameters(out);
    }

    public Parameters without(String name) {
        return new Parameters(list.stream().filter(p -> !p.name().equalsIgnoreCase(name)).toList());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Param p : list) {
            sb.append(';').append(p);
        }
        return sb.toString();
    }
}
