package org.switchboard.sip.rfc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.switchboard.sip.ParseError;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;

/**
 * Loads the RFC 4475 / RFC 5118 torture messages from the readable {@code .sip} files (see README.md next to
 * them): every LF becomes CRLF, then each {@code <hex>..</hex>} block (white space inside ignored) becomes the
 * bytes it spells, as the RFCs themselves write bytes that are not printable.
 */
final class TortureMessages {
    private static final byte[] OPEN = "<hex>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "</hex>".getBytes(StandardCharsets.US_ASCII);

    private TortureMessages() {
    }

    /** The wire bytes of a message, by its resource path, e.g. {@code rfc4475/valid/3.1.1.1-wsinv.sip}. */
    static byte[] load(String path) {
        try (InputStream in = TortureMessages.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no torture message " + path);
            }
            // CRLF in a checked-out file (git autocrlf) is folded to LF first so both read the same
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            return decodeHex(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code .sip} file names in a resource folder, sorted. */
    static List<String> list(String folder) {
        try {
            URL url = TortureMessages.class.getResource("/" + folder);
            if (url == null) {
                throw new IllegalArgumentException("no folder " + folder);
            }
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sip")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] decodeHex(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int i = 0;
        while (i < text.length) {
            int open = indexOf(text, OPEN, i);
            if (open < 0) {
                out.write(text, i, text.length - i);
                break;
            }
            int close = indexOf(text, CLOSE, open);
            if (close < 0) {
                throw new IllegalArgumentException("<hex> without </hex> at byte " + open);
            }
            out.write(text, i, open - i);
            String hex = new String(text, open + OPEN.length, close - open - OPEN.length, StandardCharsets.US_ASCII)
                    .replaceAll("\\s", "");
            out.writeBytes(HexFormat.of().parseHex(hex));
            i = close + CLOSE.length;
        }
        return out.toByteArray();
    }

    /** Parses and checks the round trip: the untouched message writes back the bytes it was read from. */
    static SipMessage parsesAndRoundTrips(byte[] wire) {
        return parsesAndRoundTrips(wire, wire.length);
    }

    /** As above for a datagram that carries more than the message: only the first {@code messageLength} bytes come back. */
    static SipMessage parsesAndRoundTrips(byte[] wire, int messageLength) {
        ParseResult r = SipParser.parse(wire);
        if (r instanceof ParseResult.Malformed m) {
            throw new AssertionError("malformed: " + m.error().reason());
        }
        SipMessage m = ((ParseResult.Parsed) r).message();
        assertArrayEquals(Arrays.copyOf(wire, messageLength), m.bytes(), "re-serialised bytes");
        SipMessage again = ((ParseResult.Parsed) SipParser.parse(m.bytes())).message();
        assertEquals(m, again);
        return m;
    }

    static ParseError malformed(byte[] wire) {
        return assertInstanceOf(ParseResult.Malformed.class, SipParser.parse(wire)).error();
    }

    /** The offset of the first occurrence of {@code needle} in the message, for pinning error offsets. */
    static int offsetOf(byte[] wire, String needle) {
        int at = indexOf(wire, needle.getBytes(StandardCharsets.UTF_8), 0);
        if (at < 0) {
            throw new IllegalArgumentException(needle + " not in message");
        }
        return at;
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
