package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/** Which subscription dialogs end, and when (RFC 6665 §4.1.3, §4.4.1; RFC 3515 §2.4.4). */
class SubscriptionsTest {
    private static final long T0 = 1_000_000L;

    private static SipMessage parse(String text) {
        return ((ParseResult.Parsed) SipParser.parse(text.getBytes(StandardCharsets.UTF_8))).message();
    }

    private static SipRequest request(String method, String from, String to, String... extra) {
        return (SipRequest) parse(method + " sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
                + "From: " + from + "\r\nTo: " + to + "\r\nCall-ID: c1\r\nCSeq: 1 " + method + "\r\nMax-Forwards: 70\r\n"
                + String.join("", extra) + "Content-Length: 0\r\n\r\n");
    }

    private static SipResponse ok(String method, String from, String to, String... extra) {
        return (SipResponse) parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
                + "From: " + from + "\r\nTo: " + to + "\r\nCall-ID: c1\r\nCSeq: 1 " + method + "\r\n"
                + String.join("", extra) + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void aSubscriptionEndsWithItsTerminatingNotifyOrItsExpiry() {
        Subscriptions subs = new Subscriptions();
        SipRequest subscribe = request("SUBSCRIBE", "<sip:a@d>;tag=s", "<sip:a@d>", "Expires: 60\r\n");
        subs.started(subscribe, ok("SUBSCRIBE", "<sip:a@d>;tag=s", "<sip:a@d>;tag=n", "Expires: 60\r\n"), T0);
        SipRequest active = request("NOTIFY", "<sip:a@d>;tag=n", "<sip:a@d>;tag=s", "Subscription-State: active\r\n");
        assertTrue(subs.knows(active, T0 + 1000));
        assertFalse(subs.ended(active, T0 + 59_000), "within its Expires");
        assertTrue(subs.ended(active, T0 + 60_000), "its expiry ends it");

        Subscriptions other = new Subscriptions();
        other.started(subscribe, ok("SUBSCRIBE", "<sip:a@d>;tag=s", "<sip:a@d>;tag=n", "Expires: 60\r\n"), T0);
        other.notified(request("NOTIFY", "<sip:a@d>;tag=n", "<sip:a@d>;tag=s",
                "Subscription-State: terminated;reason=timeout\r\n"), T0 + 1000);
        assertTrue(other.ended(active, T0 + 2000), "a terminating NOTIFY ends it at once");
    }

    @Test
    void theLastNotifyOfAReferInsideACallNeverEndsTheCall() {
        Subscriptions subs = new Subscriptions();
        subs.notified(request("NOTIFY", "<sip:b@d>;tag=callee", "<sip:a@d>;tag=caller",
                "Event: refer\r\n", "Subscription-State: terminated;reason=noresource\r\n"), T0);
        SipRequest bye = request("BYE", "<sip:a@d>;tag=caller", "<sip:b@d>;tag=callee");
        assertFalse(subs.ended(bye, T0 + 1000), "the call's BYE is not refused 481: the REFER's subscription ended, not the dialog");
    }
}
