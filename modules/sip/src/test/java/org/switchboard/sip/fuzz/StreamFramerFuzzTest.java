package org.switchboard.sip.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.sip.framing.StreamFramer;

/**
 * A TCP peer controls both the bytes and where the segments split. Whatever it sends, the framer must return
 * frames (never throw), never hand out a message beyond its limits, and cut the same messages whatever the split:
 * a message that frames differently depending on segment boundaries is a desynchronised connection.
 *
 * <p>Input layout (FuzzedDataProvider): limits and chunk lengths come from the end of the input, the stream from
 * the front, so a plain SIP message is a useful seed file as it is.
 *
 * <p>{@code mvn test} replays {@code src/test/resources/org/switchboard/sip/fuzz/StreamFramerFuzzTestInputs/frame/};
 * {@code mvn -B -pl modules/sip test -Pfuzz} fuzzes for maxDuration (see modules/sip/pom.xml).
 */
class StreamFramerFuzzTest {
    /** Chunks up to this long: short enough to split inside header names, CRLFs and Content-Length digits. */
    private static final int MAX_CHUNK = 300;

    @FuzzTest(maxDuration = "10s")
    void frame(FuzzedDataProvider data) {
        // small limits half of the time, so that the limit paths are reached by short inputs too
        FramingLimits limits = data.consumeBoolean()
                ? new FramingLimits(data.consumeInt(1, 512), data.consumeInt(0, 512))
                : FramingLimits.DEFAULT;
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        StreamFramer split = new StreamFramer(limits);
        List<StreamFramer.Frame> splitFrames = new ArrayList<>();
        while (data.remainingBytes() > 0) {
            byte[] chunk = data.consumeBytes(data.consumeInt(0, MAX_CHUNK));
            whole.writeBytes(chunk);
            splitFrames.addAll(split.feed(chunk, 0, chunk.length));
        }
        byte[] stream = whole.toByteArray();
        List<StreamFramer.Frame> wholeFrames = new StreamFramer(limits).feed(stream, 0, stream.length);

        check(splitFrames, limits, stream.length);
        check(wholeFrames, limits, stream.length);
        if (!messagesAndFailure(splitFrames).equals(messagesAndFailure(wholeFrames))) {
            throw new IllegalStateException("framing depends on the split: " + messagesAndFailure(splitFrames)
                    + " vs " + messagesAndFailure(wholeFrames));
        }
    }

    private static void check(List<StreamFramer.Frame> frames, FramingLimits limits, int streamLength) {
        long total = 0;
        for (StreamFramer.Frame f : frames) {
            if (f instanceof StreamFramer.Message m) {
                int max = limits.maxHeaderBytes() + limits.maxBodyBytes();
                if (m.bytes().length > max) {
                    throw new IllegalStateException("message of " + m.bytes().length + " bytes, limits allow " + max);
                }
                total += m.bytes().length;
            }
        }
        if (total > streamLength) {
            throw new IllegalStateException("framed " + total + " bytes out of a stream of " + streamLength);
        }
    }

    /**
     * The messages (their bytes as Latin-1 text), the pings and whether the stream failed: a CRLFCRLF ping split
     * between two reads is reported as well (the framer counts a run of CRLFs across reads).
     */
    private static List<String> messagesAndFailure(List<StreamFramer.Frame> frames) {
        List<String> out = new ArrayList<>();
        for (StreamFramer.Frame f : frames) {
            if (f instanceof StreamFramer.Message m) {
                out.add(new String(m.bytes(), StandardCharsets.ISO_8859_1));
            } else if (f instanceof StreamFramer.Ping) {
                out.add("ping");
            } else if (f instanceof StreamFramer.Failure) {
                out.add("failure");
            }
        }
        return out;
    }
}
