package org.switchboard.sip;

import java.util.Optional;

/** A generic parameter ({@code ;name=value} or a bare {@code ;name}). Names keep their case; lookups fold it. */
public record Param(String name, Optional<String> value) {
    @Override
    public String toString() {
        return value.map(v -> name + "=" + v).orElse(name);
    }
}
