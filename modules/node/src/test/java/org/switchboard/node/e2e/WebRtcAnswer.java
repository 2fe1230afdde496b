package org.switchboard.node.e2e;

import java.util.stream.Collectors;

/**
 * An SDP answer a browser's RTCPeerConnection accepts for its own offer, made by a test phone that has no WebRTC
 * stack: the offer's media lines mirrored, with our own ICE credentials, {@code a=setup:active} (we would be the
 * DTLS client), no candidates and none of the offerer's stream ids. The offer's fingerprint is reused: it has the
 * right form, and no DTLS handshake is ever attempted — the test is about signalling.
 */
final class WebRtcAnswer {
    private WebRtcAnswer() {
    }

    static String to(String offer) {
        return offer.lines()
                .filter(l -> !l.startsWith("a=candidate") && !l.startsWith("a=end-of-candidates")
                        && !l.startsWith("a=ssrc") && !l.startsWith("a=msid"))
                .map(l -> l.startsWith("o=") ? "o=- 4242 1 IN IP4 127.0.0.1"
                        : l.equals("a=setup:actpass") ? "a=setup:active"
                        : l.startsWith("a=ice-ufrag:") ? "a=ice-ufrag:bobUfrag"
                        : l.startsWith("a=ice-pwd:") ? "a=ice-pwd:bobIcePasswordOf24Chars0123"
                        : l)
                .collect(Collectors.joining("\r\n", "", "\r\n"));
    }
}
