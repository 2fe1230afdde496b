package org.switchboard.node.e2e;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What every helper that runs a peer program (baresip, dnsmasq, SIPp) does with its process and its log. */
final class Processes {
    private Processes() {
    }

    /** SIGTERM (the program may say goodbye: baresip unregisters), then SIGKILL if it has not ended within 5 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The log so far; empty when it is not there yet or cannot be read (a diagnostic, never a failure). */
    static String read(Path log, Charset charset) {
        try {
            return Files.exists(log) ? Files.readString(log, charset) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
