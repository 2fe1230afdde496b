package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages one SIPp process sent and received, exactly, from its {@code -trace_msg} log: each entry names its
 * length in bytes ("UDP message sent (474 bytes):", "UDP message received [268] bytes :"), and that many bytes
 * follow the blank line after it.
 */
final class SippMessages {
    record Message(boolean sentBySipp, byte[] bytes) {
    }

    private static final Pattern ENTRY = Pattern.compile(
            "\\n(UDP|TCP) message (?:sent \\((\\d+) bytes\\):|received \\[(\\d+)\\] bytes :)\\n\\n");

    private SippMessages() {
    }

    /** Every message in the {@code *_messages.log} files of SIPp's directory {@code dir}, in order per file. */
    static List<Message> of(Path dir) {
        List<Message> messages = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("_messages.log")).sorted().toList()) {
                // ISO-8859-1: one char per byte, so offsets are byte offsets
                String log = "\n" + Files.readString(f, StandardCharsets.ISO_8859_1);
                Matcher m = ENTRY.matcher(log);
                while (m.find()) {
                    boolean sent = m.group(2) != null;
                    int length = Integer.parseInt(sent ? m.group(2) : m.group(3));
                    if (m.end() + length > log.length()) {
                        throw new AssertionError(f + ": an entry of " + length + " bytes runs past the file's end");
                    }
                    messages.add(new Message(sent, log.substring(m.end(), m.end() + length)
                            .getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return messages;
    }
}
