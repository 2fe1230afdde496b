package org.switchboard.transport.hep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CallIdsTest {
    @Test
    void theLongAndTheCompactNameInAnyCase() {
        assertEquals(Optional.of("abc@host"), of("INVITE sip:a@b SIP/2.0\r\nVia: x\r\nCall-ID: abc@host\r\n\r\n"));
        assertEquals(Optional.of("abc@host"), of("INVITE sip:a@b SIP/2.0\r\nCALL-id:abc@host\r\n\r\n"));
        assertEquals(Optional.of("abc@host"), of("SIP/2.0 200 OK\r\nv: x\r\ni : \tabc@host \t\r\n\r\n"));
        assertEquals(Optional.of("abc"), of("SIP/2.0 200 OK\nI: abc\n\n"), "bare LF line ends");
    }

    @Test
    void notInTheStartLineNorTheBodyNorAnotherHeaderNamedAlike() {
        assertEquals(Optional.empty(), of("Call-ID: start-line SIP/2.0\r\nVia: x\r\n\r\n"));
        assertEquals(Optional.empty(), of("INVITE sip:a@b SIP/2.0\r\nVia: x\r\n\r\nCall-ID: in-body\r\n"));
        assertEquals(Optional.empty(), of("INVITE sip:a@b SIP/2.0\r\nX-Call-ID: other\r\nid: no\r\n\r\n"));
        assertEquals(Optional.empty(), of("INVITE sip:a@b SIP/2.0\r\nCall-ID:   \r\n\r\n"), "empty value");
        assertEquals(Optional.empty(), of(""));
    }

    private static Optional<String> of(String message) {
        return CallIds.of(message.getBytes(StandardCharsets.US_ASCII));
    }
}
