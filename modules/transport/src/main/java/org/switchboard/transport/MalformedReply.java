package org.switchboard.transport;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import org.switchboard.sip.ParseError;
import org.switchboard.sip.Via;

/**
 * A 400 for a request that did not parse, built from its raw lines: only possible when it looks like a request
 * and has a Via we can answer to (RFC 3261 §8.2.6 needs Via, From, To, Call-ID and CSeq to copy; missing ones
 * are left out rather than invented).
 */
final class MalformedReply {
    private MalformedReply() {
    }

    static Optional<byte[]> build(byte[] data, ParseError error) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        if (lines.length == 0 || lines[0].startsWith("SIP/") || lines[0].isBlank()) {
            return Optional.empty();
        }
        StringBuilder copied = new StringBuilder();
        boolean via = false;
        // From, To, Call-ID and CSeq once each, the first: a request refused for repeating one with another value
        // must not have its 400 refused by the client for the same reason
        java.util.Set<String> once = new java.util.HashSet<>();
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "via", "v" -> {
                    if (isUsableVia(value)) {
                        copied.append("Via: ").append(value).append("\r\n");
                        via = true;
                    }
                }
                case "from", "f" -> {
                    if (once.add("From")) {
                        copied.append("From: ").append(value).append("\r\n");
                    }
                }
                case "to", "t" -> {
                    if (once.add("To")) {
                        copied.append("To: ").append(value).append("\r\n");
                    }
                }
                case "call-id", "i" -> {
                    if (once.add("Call-ID")) {
                        copied.append("Call-ID: ").append(value).append("\r\n");
                    }
                }
                case "cseq" -> {
                    if (once.add("CSeq")) {
                        copied.append("CSeq: ").append(value).append("\r\n");
                    }
                }
                default -> {
                }
            }
        }
        if (!via) {
            return Optional.empty();
        }
        String reason = ("Bad Request - " + error.reason()).replaceAll("[\\r\\n]", " ");
        String response = "SIP/2.0 400 " + reason + "\r\n" + copied + "Content-Length: 0\r\n\r\n";
        return Optional.of(response.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isUsableVia(String value) {
        try {
            Via.parse(value.split(",")[0]);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
