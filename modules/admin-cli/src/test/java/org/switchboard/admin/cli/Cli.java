package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the CLI in this JVM as a shell would run bin/switchboard-admin: arguments, environment, working
 * directory and stdin given, exit code and both streams captured. Every run checks that the token it was given
 * appears in neither stream.
 */
final class Cli {
    static final String TOKEN = "s3cr3t-token-0123456789";

    record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    /** Against {@code node} with {@code --url} and {@code --token}: the common case of most tests. */
    static Result at(FakeNode node, Path workDir, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", node.url(), "--token", TOKEN));
        all.addAll(List.of(args));
        return run(Map.of(), workDir, "", all.toArray(String[]::new));
    }

    static Result run(Map<String, String> env, Path workDir, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = AdminCli.run(args, o, e, new AdminCli.Context(env, workDir,
                    new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false));
        }
        Result result = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        List<String> secrets = new ArrayList<>(List.of(TOKEN));
        if (env.containsKey(TargetResolver.ENV_TOKEN)) {
            secrets.add(env.get(TargetResolver.ENV_TOKEN));
        }
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--token")) {
                secrets.add(args[i + 1]);
            }
        }
        for (String secret : secrets) {
            assertFalse(result.out().contains(secret) || result.err().contains(secret), "the token was printed: " + result);
        }
        return result;
    }
}
