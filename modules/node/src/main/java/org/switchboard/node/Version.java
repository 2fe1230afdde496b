package org.switchboard.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * The version and the git commit this node was built from, written at build time into version.properties
 * (modules/node/src/build/version.sh). A build that did not write it (an IDE's own compiler) says "unknown".
 */
public record Version(String version, String commit, boolean dirty) {
    static final String RESOURCE = "version.properties";
    static final String UNKNOWN = "unknown";

    /** This build's. */
    public static Version current() {
        return read(Version.class.getResourceAsStream(RESOURCE)).orElse(new Version(UNKNOWN, UNKNOWN, false));
    }

    static Optional<Version> read(InputStream in) {
        if (in == null) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (in) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new Version(p.getProperty("version", UNKNOWN), p.getProperty("commit", UNKNOWN),
                Boolean.parseBoolean(p.getProperty("dirty", "false"))));
    }

    /** The commit, {@code 1a2b3c4d5e-dirty} when built from modified files. */
    public String commitWithState() {
        return commit + (dirty ? "-dirty" : "");
    }

    /** {@code switchboard 0.1.0 (1a2b3c4d5e)}, {@code ..., dirty)} when built from modified files. */
    public String line() {
        return "switchboard " + version + " (" + commit + (dirty ? ", dirty" : "") + ")";
    }
}
