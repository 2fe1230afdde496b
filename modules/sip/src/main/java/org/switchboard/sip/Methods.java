package org.switchboard.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable set of methods, in the order first given: what a UA allows (the Allow header, RFC 3261 §20.5),
 * or which requests a rule applies to. {@link #contains} on a known method is one bit test.
 */
public final class Methods {
    private final long known;
    private final Set<String> extensions;
    private final List<Method> inOrder;

    private Methods(long known, Set<String> extensions, List<Method> inOrder) {
        this.known = known;
        this.extensions = extensions;
        this.inOrder = inOrder;
    }

    /** The set of these methods; a repeated one is kept once, where it first appears. */
    public static Methods of(Method... methods) {
        return of(List.of(methods));
    }

    public static Methods of(List<Method> methods) {
        long known = 0;
        Set<String> extensions = new HashSet<>();
        List<Method> inOrder = new ArrayList<>(methods.size());
        for (Method m : methods) {
            boolean added = m.isExtension() ? extensions.add(m.name()) : (known & 1L << m.bit()) == 0;
            known |= m.isExtension() ? 0 : 1L << m.bit();
            if (added) {
                inOrder.add(m);
            }
        }
        return new Methods(known, Set.copyOf(extensions), Collections.unmodifiableList(inOrder));
    }

    /**
     * The methods of a comma-separated list such as an Allow value ({@code INVITE, ACK, BYE}), white space around
     * each ignored.
     *
     * @throws IllegalArgumentException when an element is not a method token
     */
    public static Methods parse(String list) {
        List<Method> methods = new ArrayList<>();
        if (!list.isBlank()) {
            for (String part : list.split(",", -1)) {
                methods.add(Method.of(part.strip()));
            }
        }
        return of(methods);
    }

    public boolean contains(Method m) {
        return m.isExtension() ? extensions.contains(m.name()) : (known & 1L << m.bit()) != 0;
    }

    public boolean isEmpty() {
        return inOrder.isEmpty();
    }

    public int size() {
        return inOrder.size();
    }

    /** The methods in the order first given. */
    public List<Method> asList() {
        return inOrder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Methods m && m.known == known && m.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(known) * 31 + extensions.hashCode();
    }

    /** The names separated by ", ", in order: an Allow header value. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Method m : inOrder) {
            sb.append(sb.length() == 0 ? "" : ", ").append(m.name());
        }
        return sb.toString();
    }
}
