package org.switchboard.sip;

import java.util.Optional;

/**
 * A name-addr or addr-spec with header parameters, as in From, To, Contact, Route and Record-Route.
 * Parameters after an addr-spec without angle brackets belong to the header, not the URI (RFC 3261 §20.10).
 */
public record NameAddress(Optional<String> displayName, SipUri uri, Parameters params) {

    public static NameAddress parse(String text) {
        String t = text.trim();
        int lt = indexOfUnquoted(t, '<');
        if (lt >= 0) {
            int gt = t.indexOf('>', lt);
            if (gt < 0) {
                throw new SipParseException(lt, "'>' closing the URI");
            }
            // RFC 3261 name-addr = [ display-name ] LAQUOT addr-spec RAQUOT: no LWS inside the brackets (RFC 4475 §3.1.2.14)
            if (gt == lt + 1 || Lexer.isLws(t.charAt(lt + 1)) || Lexer.isLws(t.charAt(gt - 1))) {
                throw new SipParseException(lt + 1, "URI right inside '<' and '>'");
            }
            Optional<String> display = displayName(t.substring(0, lt));
            SipUri uri = Lexer.rebased(lt + 1, () -> SipUri.parse(t.substring(lt + 1, gt)));
            Parameters params = Lexer.rebased(gt + 1, () -> Parameters.parse(t.substring(gt + 1)));
            return new NameAddress(display, uri, params);
        }
        int semi = t.indexOf(';');
        String addrSpec = (semi < 0 ? t : t.substring(0, semi)).trim();
        int quote = addrSpec.indexOf('"');
        if (quote >= 0) {
            // no '<' outside quotes: the quoted display name never closed (RFC 4475 §3.1.2.6)
            throw new SipParseException(quote, "closing '\"' of the display name, then '<' URI '>'");
        }
        // RFC 3261 §20.10: an addr-spec holding ',', ';' or '?' must be written as a name-addr, in '<' '>';
        // a ';' here starts the header parameters, so only '?' and ',' can be caught (RFC 4475 §3.1.2.13).
        for (int i = 0; i < addrSpec.length(); i++) {
            char c = addrSpec.charAt(i);
            if (c == '?' || c == ',') {
                throw new SipParseException(i, "'<' '>' around a URI that holds '" + c + "'");
            }
            if (c == ' ' || c == '\t') {
                throw new SipParseException(i, "'<' '>' around a URI after a display name");
            }
        }
        SipUri uri = SipUri.parse(addrSpec);
        Parameters params = semi < 0 ? Parameters.EMPTY : Lexer.rebased(semi, () -> Parameters.parse(t.substring(semi)));
        return new NameAddress(Optional.empty(), uri, params);
    }

    /**
     * RFC 3261 display-name = *(token LWS) / quoted-string. Unquoted, only tokens separated by white space are
     * allowed, so {@code Bell, Alexander} is an error (RFC 4475 §3.1.2.15); quoted, the quotes must close.
     */
    private static Optional<String> displayName(String raw) {
        String d = raw.trim();
        if (d.isEmpty()) {
            return Optional.empty();
        }
        int lead = raw.indexOf(d.charAt(0));
        if (d.charAt(0) == '"') {
            int end = Lexer.endOfQuotedString(d, 0);
            if (end < 0) {
                throw new SipParseException(lead, "closing '\"' of the display name");
            }
            if (end != d.length()) {
                throw new SipParseException(lead + end, "'<' after the quoted display name");
            }
            return Optional.of(Lexer.unquote(d));
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (!Lexer.isTokenChar(c) && !Lexer.isLws(c)) {
                throw new SipParseException(lead + i, "display name of tokens, or quoted");
            }
        }
        return Optional.of(d);
    }

    public static NameAddress of(SipUri uri) {
        return new NameAddress(Optional.empty(), uri, Parameters.EMPTY);
    }

    public Optional<String> tag() {
        return params.get("tag");
    }

    public NameAddress withParam(String name, String value) {
        return new NameAddress(displayName, uri, params.with(name, Optional.of(value)));
    }

    private static int indexOfUnquoted(String t, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == wanted) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        displayName.ifPresent(d -> sb.append('"').append(d.replace("\\", "\\\\").replace("\"", "\\\"")).append("\" "));
        return sb.append('<').append(uri).append('>').append(params).toString();
    }
}
