package org.switchboard.node.admin;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.switchboard.sip.auth.Digest;

/**
 * Subscribers as CSV (RFC 4180: quoted fields, commas and quotes in them), columns by name: {@code aor}, then
 * {@code password} or {@code ha1} (+ {@code ha1_sha256}), optional {@code username}, {@code realm}, {@code enabled}.
 * What export writes, import reads. Pure: no I/O beyond the text given.
 */
final class SubscriberCsv {
    static final List<String> EXPORT_COLUMNS = List.of("aor", "username", "realm", "ha1", "ha1_sha256", "enabled");
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

    private SubscriberCsv() {
    }

    /** Credentials ready for the entity: digests only. */
    record Entry(String aor, String username, String realm, String ha1Md5, String ha1Sha256, Optional<Boolean> enabled) {
    }

    /** One line of an import: what it asks, or why it cannot be taken. */
    record Line(long line, String aor, Optional<Entry> entry, String error) {
    }

    static List<Line> parse(String text) {
        List<Line> out = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(READ).get()) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || !header.containsKey("aor")) {
                throw new IllegalArgumentException("the first line must name the columns, among them aor");
            }
            for (CSVRecord r : parser) {
                long line = r.getRecordNumber() + 1; // the header is line 1
                String aor = field(r, "aor").orElse("");
                try {
                    out.add(new Line(line, aor, Optional.of(entry(r, aor)), ""));
                } catch (IllegalArgumentException e) {
                    out.add(new Line(line, aor, Optional.empty(), e.getMessage()));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("not CSV: " + e.getMessage());
        }
        return out;
    }

    /**
     * The credentials a request asks for: a password (both digests are made from it) or the digests as they are
     * (MD5 at least: Kamailio's {@code ha1} column).
     */
    static Entry entry(String aor, Optional<String> username, Optional<String> realm, Optional<String> password,
                       Optional<String> ha1, Optional<String> ha1Sha256, Optional<Boolean> enabled) {
        if (aor.isEmpty()) {
            throw new IllegalArgumentException("no aor");
        }
        String[] userAtHost = Aors.userAndHost(aor);
        String user = username.orElse(userAtHost[0]);
        String domain = realm.orElse(userAtHost[1]);
        if (password.isPresent() == ha1.isPresent()) {
            throw new IllegalArgumentException(password.isPresent() ? "both password and ha1: give one"
                    : "neither password nor ha1");
        }
        if (password.isPresent()) {
            if (ha1Sha256.isPresent()) {
                throw new IllegalArgumentException("ha1_sha256 goes with ha1, not with a password");
            }
            return new Entry(Aors.normalised(aor), user, domain, Digest.ha1(Digest.Algorithm.MD5, user, domain, password.get()),
                    Digest.ha1(Digest.Algorithm.SHA_256, user, domain, password.get()), enabled);
        }
        String md5 = ha1.get().toLowerCase(Locale.ROOT);
        String sha = ha1Sha256.map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        if (!MD5_HEX.matcher(md5).matches()) {
            throw new IllegalArgumentException("ha1 is not 32 hex digits");
        }
        if (!sha.isEmpty() && !SHA256_HEX.matcher(sha).matches()) {
            throw new IllegalArgumentException("ha1_sha256 is not 64 hex digits");
        }
        return new Entry(Aors.normalised(aor), user, domain, md5, sha, enabled);
    }

    private static Entry entry(CSVRecord r, String aor) {
        Optional<Boolean> enabled = field(r, "enabled").map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("enabled is " + v + ", not true or false");
        });
        return entry(aor, field(r, "username"), field(r, "realm"), field(r, "password"), field(r, "ha1"),
                field(r, "ha1_sha256"), enabled);
    }

    private static Optional<String> field(CSVRecord r, String column) {
        return r.isMapped(column) && r.isSet(column) ? Optional.of(r.get(column)).filter(s -> !s.isEmpty())
                : Optional.empty();
    }

    /** One exported subscriber. */
    record Row(String aor, String username, String realm, String ha1Md5, String ha1Sha256, boolean enabled) {
    }

    static String write(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord(EXPORT_COLUMNS);
            for (Row r : rows) {
                printer.printRecord(r.aor(), r.username(), r.realm(), r.ha1Md5(), r.ha1Sha256(), r.enabled());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
