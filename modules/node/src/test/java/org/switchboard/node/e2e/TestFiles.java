package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** The files a test node and its SIPp peers read: subscribers, SIPp injection CSVs, config. */
final class TestFiles {
    static final String DOMAIN = "sip.test";

    private TestFiles() {
    }

    /** A fresh working directory under target/e2e for one test. */
    static Path workDir(String name) {
        Path dir = Path.of("target", "e2e", name + "-" + System.nanoTime()).toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String user(int i) {
        return String.format("user%03d", i);
    }

    /** Subscribers userNNN@sip.test with password pwNNN, plus the extra lines given. */
    static Path subscribers(Path dir, int users, String... extraLines) {
        List<String> lines = new java.util.ArrayList<>(IntStream.range(0, users)
                .mapToObj(i -> user(i) + "@" + DOMAIN + ",pw" + user(i)).toList());
        lines.addAll(List.of(extraLines));
        return write(dir.resolve("subscribers.csv"), lines);
    }

    /** SIPp's injection file for reg_auth.xml: user;domain;[authentication ...]. */
    static Path registerCsv(Path dir, String file, List<String[]> userPasswords) {
        List<String> lines = new java.util.ArrayList<>(List.of("SEQUENTIAL"));
        for (String[] up : userPasswords) {
            lines.add(up[0] + ";" + DOMAIN + ";[authentication username=" + up[0] + " password=" + up[1] + "]");
        }
        return write(dir.resolve(file), lines);
    }

    /** SIPp's injection file for uac_call.xml: callee;domain. */
    static Path calleeCsv(Path dir, String callee) {
        return write(dir.resolve("callees.csv"), List.of("SEQUENTIAL", callee + ";" + DOMAIN));
    }

    static Path write(Path file, List<String> lines) {
        try {
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
