package org.switchboard.sip;

import java.nio.charset.StandardCharsets;

/**
 * A SIP method. The fourteen this stack knows (RFC 3261 and the extensions listed below) are constants; any other
 * token is an extension method kept by its name. Method names are case-sensitive (RFC 3261 §7.1): {@code invite}
 * is an extension method, not {@link #INVITE}. Equal when the names are; the known ones are single instances, so
 * {@link #of} allocates nothing for them.
 */
public final class Method {
    public static final Method INVITE = new Method("INVITE", 0);
    public static final Method ACK = new Method("ACK", 1);
    public static final Method BYE = new Method("BYE", 2);
    public static final Method CANCEL = new Method("CANCEL", 3);
    public static final Method REGISTER = new Method("REGISTER", 4);
    public static final Method OPTIONS = new Method("OPTIONS", 5);
    /** RFC 3262. */
    public static final Method PRACK = new Method("PRACK", 6);
    /** RFC 6665. */
    public static final Method SUBSCRIBE = new Method("SUBSCRIBE", 7);
    /** RFC 6665. */
    public static final Method NOTIFY = new Method("NOTIFY", 8);
    /** RFC 3903. */
    public static final Method PUBLISH = new Method("PUBLISH", 9);
    /** RFC 6086. */
    public static final Method INFO = new Method("INFO", 10);
    /** RFC 3515. */
    public static final Method REFER = new Method("REFER", 11);
    /** RFC 3428. */
    public static final Method MESSAGE = new Method("MESSAGE", 12);
    /** RFC 3311. */
    public static final Method UPDATE = new Method("UPDATE", 13);

    /** By {@link #bit}; the order the start-line reader tries them in, most frequent first. */
    static final Method[] KNOWN = {INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS, PRACK, SUBSCRIBE, NOTIFY, PUBLISH,
            INFO, REFER, MESSAGE, UPDATE};

    private final String name;
    /** Index in KNOWN, or -1 for an extension method: lets {@link Methods} keep the known ones in a bit set. */
    private final int bit;

    private Method(String name, int bit) {
        this.name = name;
        this.bit = bit;
    }

    /**
     * The method with this name: the constant for a known one, else an extension method.
     *
     * @throws IllegalArgumentException when {@code name} is not an RFC 3261 token
     */
    public static Method of(String name) {
        for (Method m : KNOWN) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty method name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Lexer.isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("method is not a token: \"" + name + "\"");
            }
        }
        return new Method(name, -1);
    }

    /** The method spelled by {@code b[from, to)}, which the caller checked is a token; no allocation if known. */
    static Method of(byte[] b, int from, int to) {
        for (Method m : KNOWN) {
            if (m.name.length() == to - from && b[from] == m.name.charAt(0) && StartLine.equals(b, from, to, m.name)) {
                return m;
            }
        }
        return new Method(new String(b, from, to - from, StandardCharsets.US_ASCII), -1);
    }

    /** The method token as written on the wire. */
    public String name() {
        return name;
    }

    /** Whether this is none of the constants above. */
    public boolean isExtension() {
        return bit < 0;
    }

    public boolean isOneOf(Method... methods) {
        for (Method m : methods) {
            if (equals(m)) {
                return true;
            }
        }
        return false;
    }

    public boolean isOneOf(Methods methods) {
        return methods.contains(this);
    }

    int bit() {
        return bit;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Method m && bit < 0 && m.bit < 0 && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
