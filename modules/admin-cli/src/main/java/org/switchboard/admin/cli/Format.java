package org.switchboard.admin.cli;

/** Small text forms shared by the tables. */
final class Format {
    private Format() {
    }

    /** Seconds as an operator reads them: 45s, 2m05s, 1h02m, 3d04h. */
    static String duration(long seconds) {
        if (seconds < 0) {
            return "-";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
