package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MessageEditorTest {
    private final SipRequest invite = (SipRequest) Messages.parse(Messages.load("invite.sip"));

    @Test
    void proxyChangesOnlyWhatAProxyChanges() {
        SipRequest out = (SipRequest) invite.edit()
                .prepend("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsbnew")
                .prepend("Record-Route", "<sip:127.0.0.1:5060;lr>")
                .set("Max-Forwards", "69")
                .requestUri("sip:bob@127.0.0.1:5080")
                .build();
        assertEquals("sip:bob@127.0.0.1:5080", out.requestUriText());
        assertEquals(List.of("z9hG4bKsbnew", "z9hG4bK776asdhds"), out.vias().stream().map(v -> v.branch().orElseThrow()).toList());
        assertEquals("69", out.header("max-forwards").orElseThrow());
        assertEquals("<sip:127.0.0.1:5060;lr>", out.header("record-route").orElseThrow());
        assertTrue(java.util.Arrays.equals(invite.body(), out.body()), "body untouched");
        String text = new String(out.bytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains("X-Custom-Header:   kept   exactly\r\n"), "untouched lines keep their bytes");
        assertTrue(text.contains("From: \"Alice \\\"A\\\" Liddell\" <sip:alice@example.com>;tag=1928301774\r\n"));
    }

    @Test
    void popViaFromAListLineLeavesTheRest() {
        SipResponse ok = (SipResponse) Messages.parse(Messages.load("ok.sip"));
        SipMessage popped = ok.edit().removeFirstValue(HeaderNames.VIA).build();
        assertEquals(1, popped.vias().size());
        assertEquals("z9hG4bK776asdhds", popped.topVia().branch().orElseThrow());
    }

    @Test
    void popViaOnItsOwnLineRemovesTheLine() {
        SipRequest twoLines = (SipRequest) invite.edit().prepend("Via", "SIP/2.0/UDP p:5060;branch=z9hG4bKtop").build();
        SipMessage popped = twoLines.edit().removeFirstValue(HeaderNames.VIA).build();
        assertArrayEquals(invite.bytes(), popped.bytes());
    }

    @Test
    void replaceFirstValueKeepsTheOthers() {
        SipResponse ok = (SipResponse) Messages.parse(Messages.load("ok.sip"));
        SipMessage m = ok.edit().replaceFirstValue(HeaderNames.VIA, "SIP/2.0/UDP x:1;branch=z9hG4bKx").build();
        assertEquals(List.of("z9hG4bKx", "z9hG4bK776asdhds"), m.vias().stream().map(v -> v.branch().orElseThrow()).toList());
    }

    @Test
    void aMessageWithoutContentLengthGetsOneWhenEdited() {
        String text = "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 OPTIONS\n\n";
        SipMessage m = Messages.parse(text).edit().set("Max-Forwards", "10").build();
        assertEquals("0", m.header("content-length").orElseThrow());
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual) {
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
    }
}
