package org.switchboard.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.sip.SipUri;

/**
 * One line of a subscribers file: {@code user@domain,password[,name=value...]}. The realm is the domain. Optional
 * forwarding rules follow as {@code unconditional=URI}, {@code busy=URI}, {@code no-answer=URI/SECONDS} and
 * {@code unavailable=URI}; a line without rules clears them. The account's own call limits (toll fraud) are
 * {@code max-calls=N} (concurrent) and {@code max-calls-per-minute=N}, 0 for unlimited; without them the
 * account has the cluster's ({@code switchboard.security.calls}).
 */
public record Subscriber(String user, String domain, String password, ForwardingRules forwarding,
                         CallLimits callLimits) {

    /**
     * The Registration entity's id: the RFC 3261 §10.3 key ({@link SipUri#addressOfRecord}) of sip:user@domain, so
     * that a user written with escapes ({@code %41lice}) is the AOR phones register and are called at. A user that
     * cannot stand in a URI as written (':' or '@' in it) keeps its text.
     */
    public String aor() {
        String uri = "sip:" + user + "@" + domain;
        if (user.indexOf(':') >= 0 || user.indexOf('@') >= 0) {
            return uri;
        }
        try {
            return SipUri.parse(uri).addressOfRecord();
        } catch (RuntimeException e) {
            return uri;
        }
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
            out.add(parse(line, file + " line " + (i + 1)));
        }
        return out;
    }

    static Subscriber parse(String line, String where) throws StartupException {
        String[] fields = line.split(",");
        int at = fields[0].lastIndexOf('@');
        if (fields.length < 2 || at <= 0 || at == fields[0].length() - 1 || fields[1].isEmpty()) {
            throw new StartupException(2, where + ": expected user@domain,password[,rule=URI...]");
        }
        Optional<String> unconditional = Optional.empty();
        Optional<String> busy = Optional.empty();
        Optional<String> noAnswer = Optional.empty();
        int noAnswerSeconds = 0;
        Optional<String> unavailable = Optional.empty();
        Optional<Integer> maxCalls = Optional.empty();
        Optional<Integer> maxCallsPerMinute = Optional.empty();
        for (int f = 2; f < fields.length; f++) {
            String rule = fields[f].strip();
            int eq = rule.indexOf('=');
            if (eq <= 0) {
                throw new StartupException(2, where + ": forwarding rule '" + rule + "' is not name=URI");
            }
            String name = rule.substring(0, eq);
            String target = rule.substring(eq + 1);
            if (name.equals("max-calls")) {
                maxCalls = Optional.of(limit(target, name, where));
                continue;
            }
            if (name.equals("max-calls-per-minute")) {
                maxCallsPerMinute = Optional.of(limit(target, name, where));
                continue;
            }
            if (name.equals("no-answer")) {
                int slash = target.lastIndexOf('/');
                try {
                    noAnswerSeconds = slash < 0 ? -1 : Integer.parseInt(target.substring(slash + 1));
                } catch (NumberFormatException e) {
                    noAnswerSeconds = -1;
                }
                if (noAnswerSeconds <= 0) {
                    throw new StartupException(2, where + ": no-answer wants URI/SECONDS, e.g. sip:vm@example.com/20");
                }
                target = target.substring(0, slash);
            }
            checkUri(target, where);
            switch (name) {
                case "unconditional" -> unconditional = Optional.of(target);
                case "busy" -> busy = Optional.of(target);
                case "no-answer" -> noAnswer = Optional.of(target);
                case "unavailable" -> unavailable = Optional.of(target);
                default -> throw new StartupException(2, where + ": unknown setting '" + name
                        + "' (unconditional, busy, no-answer, unavailable, max-calls, max-calls-per-minute)");
            }
        }
        return new Subscriber(fields[0].substring(0, at), fields[0].substring(at + 1).toLowerCase(Locale.ROOT),
                fields[1], new ForwardingRules(unconditional, busy, noAnswer, noAnswerSeconds, unavailable),
                new CallLimits(maxCalls, maxCallsPerMinute));
    }

    private static int limit(String value, String name, String where) throws StartupException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(2, where + ": " + name + " wants a number of calls, 0 for unlimited");
    }

    private static void checkUri(String target, String where) throws StartupException {
        try {
            if (!SipUri.parse(target).isSip()) {
                throw new StartupException(2, where + ": forwarding target " + target + " is not a sip: URI");
            }
        } catch (RuntimeException e) {
            throw new StartupException(2, where + ": forwarding target " + target + " is not a SIP URI");
        }
    }
}
