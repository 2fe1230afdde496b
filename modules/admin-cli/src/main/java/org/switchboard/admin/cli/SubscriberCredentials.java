package org.switchboard.admin.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code subscriber add} and {@code subscriber passwd}: the credentials (PUT of the subscriber). */
final class SubscriberCredentials {
    private SubscriberCredentials() {
    }

    /**
     * A password from the command line, from a file, or typed at a prompt without echo, so it need not stay in
     * shell history or show in {@code ps}.
     */
    static final class PasswordSource {
        @Option(names = "--password", paramLabel = "PW", arity = "0..1", interactive = true,
                prompt = "Password: ", description = "the SIP password; without a value it is asked for (not echoed)")
        char[] password;

        @Option(names = "--password-file", paramLabel = "FILE", description = "a file whose first line is the password; - for stdin")
        Path passwordFile;

        String read(AdminCli.Context context) {
            return readPassword(Optional.ofNullable(password), Optional.ofNullable(passwordFile), context);
        }
    }

    static String readPassword(Optional<char[]> typed, Optional<Path> file, AdminCli.Context context) {
        if (file.isPresent() && file.get().toString().equals("-")) {
            return firstLine(context.in(), "--password-file - (stdin)");
        }
        if (file.isPresent()) {
            Path path = context.workDir().resolve(file.get());
            try (InputStream in = Files.newInputStream(path)) {
                return firstLine(in, "--password-file " + file.get());
            } catch (IOException e) {
                throw AdminException.usage("cannot read --password-file " + file.get() + ": " + e.getClass().getSimpleName());
            }
        }
        String password = new String(typed.orElseThrow());
        if (password.isEmpty()) {
            throw AdminException.usage("the password is empty");
        }
        return password;
    }

    /** The first line exactly, without its line end: a password may begin or end with blanks. */
    private static String firstLine(InputStream in, String what) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = Optional.ofNullable(reader.readLine()).orElse("");
            if (line.isEmpty()) {
                throw AdminException.usage(what + ": the first line is empty");
            }
            return line;
        } catch (IOException e) {
            throw AdminException.usage("cannot read " + what + ": " + e.getClass().getSimpleName());
        }
    }

    /** Digests computed elsewhere, for accounts moved from another registrar without their passwords. */
    static final class Digests {
        @Option(names = "--ha1", paramLabel = "HEX", required = true, description = "MD5(username:realm:password), hex")
        String ha1;

        @Option(names = "--ha1-sha256", paramLabel = "HEX",
                description = "SHA-256(username:realm:password), hex; without it the subscriber is not offered SHA-256 digest auth")
        Optional<String> ha1Sha256 = Optional.empty();
    }

    /**
     * Exactly one of: a password (flag, prompt, file) or the digests. The password options are repeated here rather
     * than nesting {@link PasswordSource}: in a nested group picocli reports two of them as a puzzle about "matches".
     */
    static final class Secret {
        @Option(names = "--password", paramLabel = "PW", arity = "0..1", interactive = true,
                prompt = "Password: ", description = "the SIP password; without a value it is asked for (not echoed)")
        char[] password;

        @Option(names = "--password-file", paramLabel = "FILE", description = "a file whose first line is the password; - for stdin")
        Path passwordFile;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Digests digests;
    }

    @Command(name = "add", description = {"Create a subscriber, or change its credentials if it exists (the node stores it as given).",
        "Give a password (--password PW, --password alone to be asked, or --password-file) or its digests (--ha1 [--ha1-sha256])."})
    static final class Add extends NodeCommand {
        @Parameters(paramLabel = "AOR", description = "user@domain, e.g. alice@example.com")
        String aor;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Secret secret;

        @Option(names = "--username", paramLabel = "U", description = "the digest username (default: the AOR's user part)")
        Optional<String> username = Optional.empty();

        @Option(names = "--realm", paramLabel = "R", description = "the digest realm (default: the AOR's domain)")
        Optional<String> realm = Optional.empty();

        @Override
        void execute() {
            ObjectNode body = Json.object();
            if (secret.digests == null) {
                body.put("password", readPassword(Optional.ofNullable(secret.password),
                        Optional.ofNullable(secret.passwordFile), root().context()));
            } else {
                body.put("ha1", secret.digests.ha1);
                secret.digests.ha1Sha256.ifPresent(h -> body.put("ha1Sha256", h));
            }
            username.ifPresent(u -> body.put("username", u));
            realm.ifPresent(r -> body.put("realm", r));
            String answer = node().put(SubscriberCommand.path(aor), body);
            if (json()) {
                printJson(answer);
            } else {
                out().print(SubscriberCommand.describe(Json.parse(answer)));
            }
        }
    }

    @Command(name = "passwd", description = {"Change the password of an existing subscriber.",
        "Its username and realm stay as they are; --password alone asks for the new password."})
    static final class Passwd extends NodeCommand {
        @Parameters(paramLabel = "AOR")
        String aor;

        @ArgGroup(exclusive = true, multiplicity = "1")
        PasswordSource password;

        @Override
        void execute() {
            String newPassword = password.read(root().context());
            NodeClient node = node();
            String path = SubscriberCommand.path(aor);
            // The PUT would create a missing subscriber and reset a custom username or realm to the AOR's parts:
            // read the account first, so a typo in the AOR is a 404 and the digest identity stays as it was.
            JsonNode current = Json.parse(node.get(path));
            ObjectNode body = Json.object();
            body.put("password", newPassword);
            Json.text(current, "username").ifPresent(u -> body.put("username", u));
            Json.text(current, "realm").ifPresent(r -> body.put("realm", r));
            String answer = node.put(path, body);
            if (json()) {
                printJson(answer);
            } else {
                out().println("password changed for " + aor);
            }
        }
    }
}
