package org.switchboard.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipParseException;

class SdpTest {
    private static Sdp parse(String text) {
        return Sdp.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void voiceAndVideoWithCodecsFromRtpmapAndTheStaticTable() {
        Sdp sdp = parse("""
                v=0
                o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
                s=-
                c=IN IP4 192.0.2.10
                t=0 0
                m=audio 49170 RTP/AVP 0 8 101
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-16
                m=video 51372 RTP/AVP 96
                a=rtpmap:96 H264/90000
                a=recvonly
                """);
        Media audio = sdp.first("audio").orElseThrow();
        assertEquals(49170, audio.port());
        assertEquals(List.of(new Codec(0, "PCMU", 8000), new Codec(8, "PCMA", 8000), new Codec(101, "telephone-event", 8000)),
                audio.codecs());
        assertEquals(Direction.SENDRECV, audio.direction());
        Media video = sdp.first("video").orElseThrow();
        assertEquals(List.of(new Codec(96, "H264", 90000)), video.codecs());
        assertEquals(Direction.RECVONLY, video.direction());
        assertFalse(audio.isSrtp());
    }

    @Test
    void srtpKeysAndASessionLevelHoldApplyToEveryStream() {
        Sdp sdp = parse("""
                v=0
                o=- 1 1 IN IP4 192.0.2.20
                s=-
                c=IN IP4 192.0.2.20
                t=0 0
                a=sendonly
                m=audio 5004 RTP/SAVP 18
                a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32
                """);
        Media audio = sdp.first("audio").orElseThrow();
        assertTrue(audio.isSrtp());
        assertEquals(List.of("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32"),
                audio.cryptoLines());
        assertEquals(Direction.SENDONLY, audio.direction());
        assertTrue(audio.direction().isHold());
        assertEquals(new Codec(18, "G729", 8000), audio.codecs().get(0));
    }

    @Test
    void aRefusedStreamHasPortZeroAndABrokenMediaLineNamesItsOffset() {
        assertEquals(0, parse("v=0\nm=video 0 RTP/AVP 31\n").first("video").orElseThrow().port());
        SipParseException e = assertThrows(SipParseException.class, () -> parse("v=0\nm=audio x RTP/AVP 0\n"));
        assertEquals(13, e.error().offset());
    }
}
