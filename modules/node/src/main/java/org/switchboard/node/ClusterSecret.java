package org.switchboard.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

/**
 * The cluster secret: the configured one, or, for a node that runs alone, one it generated at its first start and
 * keeps in its data directory. Never logged: whoever knows it can forge the cluster's nonces and tokens.
 */
final class ClusterSecret {
    static final String KEY = "switchboard.cluster-secret";
    static final String FILE_NAME = "cluster-secret";
    /** Shorter configured secrets are refused: they can be guessed offline from one nonce. */
    static final int MIN_LENGTH = 16;
    /** Values earlier releases and their examples published: anyone can forge tokens with them. */
    private static final Set<String> PUBLISHED = Set.of("switchboard-default-secret-change-me",
            "replace-with-a-long-random-string", "REPLACE-ME-with-a-long-random-string");
    private static final int GENERATED_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Logger log = LoggerFactory.getLogger(ClusterSecret.class);

    private ClusterSecret() {
    }

    /**
     * The configured secret, checked; empty when none is configured and the node runs alone ({@code alone}, see
     * ClusterSecurity), which then keeps one of its own ({@link #kept}).
     */
    static Optional<String> configured(Config sb, boolean alone) throws StartupException {
        String configured = sb.getString("cluster-secret");
        if (!configured.isEmpty()) {
            if (configured.length() < MIN_LENGTH) {
                throw new StartupException(2, KEY + " is shorter than " + MIN_LENGTH
                        + " characters; use e.g. the output of: head -c 32 /dev/urandom | base64");
            }
            if (PUBLISHED.contains(configured)) {
                throw new StartupException(2, KEY + " is a published example value; use e.g. the output of:"
                        + " head -c 32 /dev/urandom | base64");
            }
            return Optional.of(configured);
        }
        if (!alone) {
            throw new StartupException(2, KEY + " must be set on every node of a multi-node cluster (the same on all;"
                    + " e.g. the output of: head -c 32 /dev/urandom | base64)");
        }
        return Optional.empty();
    }

    /** The secret a lone node keeps in its data directory, generated at its first start. */
    static String kept(Config sb) throws StartupException {
        return readOrCreate(Path.of(sb.getString("data-dir")).toAbsolutePath().normalize().resolve(FILE_NAME));
    }

    /** The secret kept in {@code file}, generated and written there first when the file does not exist yet. */
    static String readOrCreate(Path file) throws StartupException {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                create(file);
            }
            String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (kept.length() < MIN_LENGTH) {
                throw new StartupException(2, file + " does not hold a cluster secret (delete it to have a new one"
                        + " generated, or set " + KEY + ")");
            }
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                log.warn("{} can be read by others than its owner: chmod 600 it", file);
            }
            return kept;
        } catch (IOException e) {
            throw new StartupException(2, "cannot keep the generated cluster secret in " + file + ": " + e.getMessage()
                    + " (or set " + KEY + ")");
        }
    }

    /**
     * Writes a new random secret: into a temporary file created with mode 0600 in the same directory, then renamed,
     * so the secret is never readable by others and a crash never leaves a half-written file behind.
     */
    private static void create(Path file) throws IOException {
        byte[] random = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getEncoder().encodeToString(random);
        Path temporary = Files.createTempFile(file.getParent(), FILE_NAME + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(temporary, secret + "\n", StandardCharsets.US_ASCII);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("generated a cluster secret and keeps it in {} (mode 0600): this node runs alone", file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
