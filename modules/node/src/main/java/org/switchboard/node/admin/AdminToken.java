package org.switchboard.node.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer token of the admin API: the configured one, or the one in the token file, or else one the node makes
 * on its first start and keeps in its data directory (readable by its owner only), where the CLI finds it.
 */
public final class AdminToken {
    /** Under the data directory: the token the node made. */
    public static final String TOKEN_FILE = "admin-token";
    /** Under the data directory: where the management endpoints listen, for the CLI. */
    public static final String URL_FILE = "management-url";
    private static final int MIN_LENGTH = 16;

    private final byte[] token;

    private AdminToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param configured {@code switchboard.admin.token}, empty for none
     * @param file       {@code switchboard.admin.token-file}, empty for none
     */
    public static AdminToken resolve(String configured, String file, Path dataDir) throws IOException {
        if (!configured.isEmpty()) {
            return checked(configured, "switchboard.admin.token");
        }
        if (!file.isEmpty()) {
            return checked(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip(), file);
        }
        Path kept = dataDir.resolve(TOKEN_FILE);
        if (!Files.exists(kept)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            keepUnlessThere(kept, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
        }
        return checked(Files.readString(kept, StandardCharsets.UTF_8).strip(), kept.toString());
    }

    private static AdminToken checked(String token, String where) {
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the admin token from " + where + " is shorter than " + MIN_LENGTH
                    + " characters: anyone could guess it");
        }
        return new AdminToken(token);
    }

    /** Whether an Authorization header carries this token, compared in constant time. */
    public boolean admits(Optional<String> authorization) {
        return authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> MessageDigest.isEqual(token, h.substring(7).strip().getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    /** Writes the management URL for the CLI, next to the token. */
    public static void writeUrl(Path dataDir, String url) throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(URL_FILE), url + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Writes the file whole or not at all, and only if it is not there yet: nodes sharing a data directory (a
     * local cluster) start at once, and the first one's token is everyone's. A private file written in full, then
     * linked to its name (which fails if the name is taken), so no node ever reads half a token.
     */
    private static void keepUnlessThere(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path draft;
        try {
            draft = Files.createTempFile(dir, TOKEN_FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            draft = Files.createTempFile(dir, TOKEN_FILE, ".tmp");
        }
        try {
            Files.writeString(draft, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.createLink(file, draft);
        } catch (FileAlreadyExistsException e) {
            // another node made it first: theirs is the token
        } finally {
            Files.deleteIfExists(draft);
        }
    }
}
