package org.switchboard.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path data;

    @Test
    void nodesStartingAtOnceOnOneDataDirectoryAllTakeTheFirstOnesToken() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<AdminToken>> starts = IntStream.range(0, 8)
                    .<Callable<AdminToken>>mapToObj(i -> () -> AdminToken.resolve("", "", data)).toList();
            List<Future<AdminToken>> tokens = pool.invokeAll(starts);
            String kept = Files.readString(data.resolve(AdminToken.TOKEN_FILE)).strip();
            for (Future<AdminToken> t : tokens) {
                assertTrue(t.get().admits(Optional.of("Bearer " + kept)));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve(AdminToken.TOKEN_FILE))));
        try (var files = Files.list(data)) {
            assertEquals(1, files.count(), "no drafts left behind");
        }
    }

    @Test
    void aConfiguredTokenWinsAndOnlyItsBearerIsAdmitted() throws Exception {
        AdminToken token = AdminToken.resolve("0123456789abcdef-configured", "", data);
        assertTrue(token.admits(Optional.of("Bearer 0123456789abcdef-configured")));
        assertTrue(token.admits(Optional.of("bearer 0123456789abcdef-configured")), "the scheme in any case");
        assertFalse(token.admits(Optional.of("Bearer 0123456789abcdef-configure")));
        assertFalse(token.admits(Optional.of("Basic 0123456789abcdef-configured")));
        assertFalse(token.admits(Optional.empty()));
        assertFalse(Files.exists(data.resolve(AdminToken.TOKEN_FILE)), "a configured token is not written down");
    }

    @Test
    void aTokenAnyoneCouldGuessIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AdminToken.resolve("secret", "", data));
    }
}
