package org.switchboard.sip;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** One Via value (RFC 3261 §20.42): {@code SIP/2.0/UDP host:port;branch=...}. */
public record Via(String transport, HostPort sentBy, Parameters params) {
    public static final String MAGIC_COOKIE = "z9hG4bK";

    public static Via parse(String text) {
        String t = text.trim();
        // sent-protocol may carry LWS around the slashes: "SIP / 2.0 / UDP"
        int slash1 = t.indexOf('/');
        int slash2 = slash1 < 0 ? -1 : t.indexOf('/', slash1 + 1);
        if (slash2 < 0) {
            throw new SipParseException(0, "Via sent-protocol SIP/2.0/transport");
        }
        String name = t.substring(0, slash1).trim();
        String version = t.substring(slash1 + 1, slash2).trim();
        if (!name.equalsIgnoreCase("SIP") || !version.equals("2.0")) {
            throw new SipParseException(0, "Via protocol SIP/2.0");
        }
        int i = slash2 + 1;
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
            i++;
        }
        int transportStart = i;
        while (i < t.length() && Lexer.isTokenChar(t.charAt(i))) {
            i++;
        }
        if (i == transportStart) {
            throw new SipParseException(i, "Via transport");
        }
        String transport = t.substring(transportStart, i).toUpperCase(Locale.ROOT);
        int semi = t.indexOf(';', i);
        String sentBy = semi < 0 ? t.substring(i) : t.substring(i, semi);
        int sentByStart = i;
        HostPort hostPort = Lexer.rebased(sentByStart, () -> HostPort.parse(sentBy));
        Parameters params = semi < 0 ? Parameters.EMPTY : Lexer.rebased(semi, () -> Parameters.parse(t.substring(semi)));
        return new Via(transport, hostPort, params);
    }

    public Optional<String> branch() {
        return params.get("branch");
    }

    public Optional<String> received() {
        return params.get("received").filter(s -> !s.isEmpty());
    }

    /** The rport value if the sender asked for it and it was filled in. */
    public OptionalInt rport() {
        Optional<String> r = params.get("rport");
        return r.isPresent() && !r.get().isEmpty() ? OptionalInt.of(HostPort.parsePort(r.get())) : OptionalInt.empty();
    }

    public boolean wantsRport() {
        return params.has("rport");
    }

    public Via withParam(String name, String value) {
        return new Via(transport, sentBy, params.with(name, Optional.of(value)));
    }

    /** Where responses go (RFC 3261 §18.2.2 and RFC 3581): received/rport when present, else sent-by. */
    public String responseHost() {
        return received().orElse(sentBy.host());
    }

    public int responsePort() {
        OptionalInt rp = rport();
        if (rp.isPresent()) {
            return rp.getAsInt();
        }
        return sentBy.port().orElse(transport.equals("TLS") ? 5061 : 5060);
    }

    @Override
    public String toString() {
        return "SIP/2.0/" + transport + " " + sentBy + params;
    }
}
