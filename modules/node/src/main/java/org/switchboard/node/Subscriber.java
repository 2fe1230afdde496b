package org.switchboard.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One line of a subscribers file: {@code user@domain,password}. The realm is the domain. */
public record Subscriber(String user, String domain, String password) {

    public String aor() {
        return "sip:" + user + "@" + domain;
    }

    public static List<Subscriber> read(Path file) throws StartupException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StartupException(2, "cannot read subscribers file " + file + ": " + e.getMessage());
        }
        List<Subscriber> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int comma = line.indexOf(',');
            int at = comma < 0 ? -1 : line.lastIndexOf('@', comma);
            if (comma < 0 || at <= 0 || at == comma - 1 || comma == line.length() - 1) {
                throw new StartupException(2, file + " line " + (i + 1) + ": expected user@domain,password");
            }
            out.add(new Subscriber(line.substring(0, at), line.substring(at + 1, comma).toLowerCase(Locale.ROOT),
                    line.substring(comma + 1)));
        }
        return out;
    }
}
