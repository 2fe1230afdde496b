package org.switchboard.transport;

/**
 * Text from the network made safe for a log line: a CR or LF in an AOR or Call-ID would forge log lines (a fail2ban
 * filter would then ban whatever address the attacker wrote), a space would shift fields. Everything but visible
 * ASCII is percent-escaped, and the result is cut at 128 characters.
 */
public final class LogSafe {
    private static final int MAX = 128;

    private LogSafe() {
    }

    public static String text(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX));
        for (int i = 0; i < value.length() && sb.length() < MAX; i++) {
            char c = value.charAt(i);
            if (c > 0x20 && c < 0x7F && c != '%') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", (int) c & 0xFF));
            }
        }
        return sb.isEmpty() ? "-" : sb.toString();
    }

    /** Free text (a reason phrase) in double quotes: spaces kept, controls, quotes and backslashes escaped. */
    public static String quoted(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX) + 2).append('"');
        for (int i = 0; i < value.length() && sb.length() <= MAX; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '%' && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", (int) c & 0xFF));
            }
        }
        return sb.append('"').toString();
    }
}
