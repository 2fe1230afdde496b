package org.switchboard.sip.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StreamFramerTest {
    private static final String A = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 5\r\n\r\nhello";
    private static final String B = "BYE sip:a@b SIP/2.0\r\nl: 0\r\n\r\n";

    @Test
    void twoMessagesAndAPingInOneRead() {
        List<StreamFramer.Frame> frames = new StreamFramer(FramingLimits.DEFAULT).feed(bytes(A + "\r\n\r\n" + B), 0,
                bytes(A + "\r\n\r\n" + B).length);
        assertEquals(3, frames.size());
        assertEquals(A, text(frames.get(0)));
        assertInstanceOf(StreamFramer.Ping.class, frames.get(1));
        assertEquals(B, text(frames.get(2)));
    }

    @Test
    void everySplitPositionFramesTheSameMessages() {
        byte[] stream = bytes(A + B + A);
        for (int split = 0; split <= stream.length; split++) {
            StreamFramer framer = new StreamFramer(FramingLimits.DEFAULT);
            List<String> out = new ArrayList<>();
            for (StreamFramer.Frame f : framer.feed(stream, 0, split)) {
                out.add(text(f));
            }
            for (StreamFramer.Frame f : framer.feed(stream, split, stream.length - split)) {
                out.add(text(f));
            }
            assertEquals(List.of(A, B, A), out, "split at " + split);
        }
    }

    @Test
    void aPingSplitBetweenReadsIsStillAPing() {
        StreamFramer framer = new StreamFramer(FramingLimits.DEFAULT);
        assertEquals(List.of(), framer.feed(bytes("\r\n\r"), 0, 3));
        assertEquals(1, framer.pending());
        assertEquals(List.of(new StreamFramer.Ping()), framer.feed(bytes("\n"), 0, 1));
        assertEquals(0, framer.pending());
        assertEquals(List.of(new StreamFramer.Ping()), framer.feed(bytes("\r\n\r\n"), 0, 4), "the next ping too");
    }

    @Test
    void aMessageDrippedOneByteAtATimeIsFramedOnceWithItsPendingBytesCounted() {
        String big = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 40000\r\n\r\n" + "x".repeat(40000);
        byte[] stream = bytes(big + B);
        StreamFramer framer = new StreamFramer(FramingLimits.DEFAULT);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            for (StreamFramer.Frame f : framer.feed(stream, i, 1)) {
                out.add(text(f));
            }
            if (out.isEmpty()) {
                assertEquals(i + 1, framer.pending());
            }
        }
        assertEquals(List.of(big, B), out);
        assertEquals(0, framer.pending());
    }

    @Test
    void limitsAndBadLengthsFailTheStream() {
        StreamFramer small = new StreamFramer(new FramingLimits(64, 8));
        assertInstanceOf(StreamFramer.Failure.class, small.feed(bytes(A), 0, bytes(A).length).get(0));
        String bigBody = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 99\r\n\r\n";
        assertInstanceOf(StreamFramer.Failure.class,
                new StreamFramer(new FramingLimits(1024, 8)).feed(bytes(bigBody), 0, bytes(bigBody).length).get(0));
        String nan = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: ten\r\n\r\n";
        assertInstanceOf(StreamFramer.Failure.class,
                new StreamFramer(FramingLimits.DEFAULT).feed(bytes(nan), 0, bytes(nan).length).get(0));
        byte[] endless = new byte[70];
        java.util.Arrays.fill(endless, (byte) 'a');
        assertInstanceOf(StreamFramer.Failure.class, small.feed(endless, 0, endless.length).isEmpty()
                ? new StreamFramer(new FramingLimits(64, 8)).feed(endless, 0, endless.length).get(0)
                : small.feed(endless, 0, endless.length).get(0));
    }

    @Test
    void twoContentLengthsThatDifferFailTheStreamTheSameTwiceFramesOnce() {
        // RFC 4475 §3.3.9 (mcl01): over a stream the framing error is not recoverable; the connection closes
        String mcl = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 13\r\nMax-Forwards: 60\r\nl: 5\r\n\r\n"
                + "There's no way to know how many octets are supposed to be here.\r\n";
        StreamFramer.Failure failure = assertInstanceOf(StreamFramer.Failure.class,
                new StreamFramer(FramingLimits.DEFAULT).feed(bytes(mcl), 0, bytes(mcl).length).get(0));
        assertEquals("two Content-Length values that differ", failure.reason());
        String twice = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5\r\nl: 5\r\n\r\nhello";
        List<StreamFramer.Frame> frames = new StreamFramer(FramingLimits.DEFAULT).feed(bytes(twice + B), 0,
                bytes(twice + B).length);
        assertEquals(List.of(twice, B), frames.stream().map(StreamFramerTest::text).toList());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(StreamFramer.Frame f) {
        return new String(assertInstanceOf(StreamFramer.Message.class, f).bytes(), StandardCharsets.US_ASCII);
    }
}
