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
            String display = t.substring(0, lt).trim();
            SipUri uri = SipUri.parse(t.substring(lt + 1, gt));
            Parameters params = Parameters.parse(t.substring(gt + 1));
            return new NameAddress(display.isEmpty() ? Optional.empty() : Optional.of(Lexer.unquote(display)), uri, params);
        }
        int semi = t.indexOf(';');
        SipUri uri = SipUri.parse(semi < 0 ? t : t.substring(0, semi));
        Parameters params = semi < 0 ? Parameters.EMPTY : Parameters.parse(t.substring(semi));
        return new NameAddress(Optional.empty(), uri, params);
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
