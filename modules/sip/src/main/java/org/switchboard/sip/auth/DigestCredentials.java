package org.switchboard.sip.auth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.switchboard.sip.SipParseException;

/**
 * The parameters of an Authorization or Proxy-Authorization header with the Digest scheme
 * ({@code Digest username="alice", realm="example.com", nonce="...", uri="...", response="...", qop=auth, nc=..., cnonce="..."}).
 */
public record DigestCredentials(Map<String, String> params) {
    public DigestCredentials {
        params = Map.copyOf(params);
    }

    public static DigestCredentials parse(String headerValue) {
        String v = headerValue.trim();
        if (v.length() < 7 || !v.regionMatches(true, 0, "Digest", 0, 6) || !Character.isWhitespace(v.charAt(6))) {
            throw new SipParseException(0, "Digest scheme");
        }
        return new DigestCredentials(AuthParams.parse(v.substring(7)));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    public String username() {
        return get("username").orElse("");
    }

    public String realm() {
        return get("realm").orElse("");
    }

    public String nonce() {
        return get("nonce").orElse("");
    }

    public String uri() {
        return get("uri").orElse("");
    }

    public String response() {
        return get("response").orElse("");
    }

    public Optional<String> qop() {
        return get("qop");
    }

    public String algorithm() {
        return get("algorithm").orElse("MD5");
    }

    /** Parser of comma-separated auth-params with quoted or token values. */
    static final class AuthParams {
        private AuthParams() {
        }

        static Map<String, String> parse(String text) {
            Map<String, String> out = new LinkedHashMap<>();
            int i = 0;
            int n = text.length();
            while (i < n) {
                while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                    i++;
                }
                int ns = i;
                while (i < n && text.charAt(i) != '=' && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i == ns) {
                    break;
                }
                String name = text.substring(ns, i).toLowerCase(Locale.ROOT);
                while (i < n && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i >= n || text.charAt(i) != '=') {
                    throw new SipParseException(i, "'=' after auth-param " + name);
                }
                i++;
                while (i < n && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                if (i < n && text.charAt(i) == '"') {
                    i++;
                    while (i < n && text.charAt(i) != '"') {
                        if (text.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        value.append(text.charAt(i++));
                    }
                    if (i >= n) {
                        throw new SipParseException(i, "closing quote of auth-param " + name);
                    }
                    i++;
                } else {
                    while (i < n && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
                        value.append(text.charAt(i++));
                    }
                }
                out.put(name, value.toString());
            }
            return out;
        }
    }
}
