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

    /** Parses {@code ;a=b;c} (the leading semicolon optional). Quoted values keep their quotes. */
    public static Parameters parse(String text) {
        List<Param> out = new ArrayList<>();
        for (String part : Lexer.splitOutsideQuotes(text, ';')) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                out.add(new Param(p, Optional.empty()));
            } else {
                out.add(new Param(p.substring(0, eq).trim(), Optional.of(p.substring(eq + 1).trim())));
            }
        }
        return new Parameters(out);
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
