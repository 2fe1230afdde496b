package org.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.sip.Branches;
import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.transport.api.Peer;

/**
 * What the edge answers to each invalid message of RFC 4475 §3.1.2 (the files of the sip module, whose
 * {@code Rfc4475InvalidTest} checks the parser's side): a 400 whose reason names the header or part at fault, a 505,
 * the request routed on where the RFC lets an element accept it, or nothing where nothing can be answered.
 */
class EdgeTortureTest {
    private static final Pattern HEX = Pattern.compile("<hex>(.*?)</hex>", Pattern.DOTALL);
    private final Edge edge = new Edge(new TransportSettings("127.0.0.1", 5060, "127.0.0.1", 5060,
            FramingLimits.DEFAULT, 1 << 20, 65535), new Branches("secret"));

    @ParameterizedTest(name = "{0}: {1} {2}")
    @CsvSource(delimiter = '|', value = {
            // a Via that cannot be read leaves no one to answer (RFC 3261 §18.2.2)
            "3.1.2.1-badinv01.sip | dropped | ''",
            "3.1.2.2-clerr.sip | 400 | Content-Length",
            "3.1.2.3-ncl.sip | 400 | Content-Length",
            "3.1.2.4-scalar02.sip | 400 | CSeq",
            "3.1.2.5-scalarlg.sip | dropped | ''", // a response
            "3.1.2.6-quotbal.sip | 400 | To:",
            "3.1.2.7-ltgtruri.sip | 400 | Request-URI",
            "3.1.2.8-lwsruri.sip | 400 | Request-URI",
            "3.1.2.9-lwsstart.sip | 400 | Request-URI",
            "3.1.2.10-trws.sip | 400 | SIP-Version",
            "3.1.2.11-escruri.sip | 400 | Request-URI",
            "3.1.2.12-baddate.sip | routed | ''", // a Date a proxy does not read, forwarded as it is
            "3.1.2.13-regbadct.sip | routed | ''", // the registrar reads Contact and answers its 400
            "3.1.2.14-badaspec.sip | 400 | To:",
            "3.1.2.15-baddn.sip | 400 | From:",
            "3.1.2.16-badvers.sip | 505 | ''",
            "3.1.2.17-mismatch01.sip | 400 | CSeq",
            "3.1.2.18-mismatch02.sip | 400 | CSeq",
            "3.1.2.19-bigcode.sip | dropped | ''"}) // a response
    void theEdgeAnswers(String file, String answer, String names) {
        byte[] wire = load("rfc4475/invalid/" + file);
        EdgeDecision d = edge.inspect(wire, 0, wire.length, new Peer("192.0.2.1", 5060));
        switch (answer) {
            case "dropped" -> assertInstanceOf(EdgeDecision.Drop.class, d);
            case "routed" -> assertInstanceOf(EdgeDecision.Route.class, d);
            default -> {
                String reply = new String(assertInstanceOf(EdgeDecision.Reply.class, d).response(), StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("SIP/2.0 " + answer + " "), reply);
                String reason = reply.substring(0, reply.indexOf("\r\n"));
                assertTrue(reason.contains(names), "the reason names " + names + ": " + reason);
                // the faulty header itself is copied (RFC 3261 §8.2.6.2): the answer is only as readable as it
                assertTrue(reply.contains("\r\nVia: ") && reply.contains("\r\nCall-ID: "), reply);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"3.1.1.1-wsinv.sip", "3.1.1.2-intmeth.sip", "3.1.1.3-esc01.sip", "3.1.1.4-escnull.sip",
            "3.1.1.5-esc02.sip", "3.1.1.6-lwsdisp.sip", "3.1.1.7-longreq.sip", "3.1.1.9-semiuri.sip",
            "3.1.1.10-transports.sip", "3.1.1.11-mpart01.sip"})
    void validRequestsAreRoutedOn(String file) {
        byte[] wire = load("rfc4475/valid/" + file);
        assertInstanceOf(EdgeDecision.Route.class, edge.inspect(wire, 0, wire.length, new Peer("192.0.2.1", 5060)));
    }

    /** As the sip module's TortureMessages: LF becomes CRLF, then each hex block the bytes it spells. */
    private static byte[] load(String path) {
        try (InputStream in = EdgeTortureTest.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no torture message " + path);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Matcher m = HEX.matcher(text);
            int last = 0;
            while (m.find()) {
                out.writeBytes(text.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
                out.writeBytes(HexFormat.of().parseHex(m.group(1).replaceAll("\\s", "")));
                last = m.end();
            }
            out.writeBytes(text.substring(last).getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
