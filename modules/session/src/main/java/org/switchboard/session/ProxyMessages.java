package org.switchboard.session;

import java.util.OptionalInt;

import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.RequestBuilder;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/** The messages a proxy writes itself or changes on the way through (RFC 3261 §16.6, §16.7, §9.1, §17.1.1.3). */
final class ProxyMessages {
    private ProxyMessages() {
    }

    /** Decrements Max-Forwards, or adds the default of 70 when the sender left it out (§16.6 step 3). */
    static MessageEditor decrementMaxForwards(SipRequest request, MessageEditor edit) {
        OptionalInt mf = request.maxForwards();
        return edit.set("Max-Forwards", Integer.toString(mf.isPresent() ? mf.getAsInt() - 1 : 70));
    }

    /** The response as it goes upstream: our Via popped, the rest untouched. */
    static byte[] popVia(SipResponse response) {
        return response.edit().removeFirstValue(HeaderNames.VIA).toBytes();
    }

    /** The ACK for a non-2xx final response to a forwarded INVITE, sent hop by hop (§17.1.1.3). */
    static byte[] ackFor(SipRequest forwardedInvite, SipResponse response) {
        RequestBuilder ack = new RequestBuilder("ACK", forwardedInvite.requestUriText())
                .header("Via", forwardedInvite.headers(HeaderNames.VIA).get(0));
        forwardedInvite.headers(HeaderNames.ROUTE).forEach(r -> ack.header("Route", r));
        return ack.header("Max-Forwards", "70")
                .header("From", forwardedInvite.header(HeaderNames.FROM).orElseThrow())
                .header("To", response.header(HeaderNames.TO).orElseThrow())
                .header("Call-ID", forwardedInvite.callId())
                .header("CSeq", forwardedInvite.cseq().number() + " ACK")
                .toBytes();
    }

    /** The CANCEL of a forwarded INVITE: same Request-URI, Via (branch), From, To, Call-ID and Route (§9.1). */
    static byte[] cancelFor(SipRequest forwardedInvite) {
        RequestBuilder cancel = new RequestBuilder("CANCEL", forwardedInvite.requestUriText())
                .header("Via", forwardedInvite.headers(HeaderNames.VIA).get(0));
        forwardedInvite.headers(HeaderNames.ROUTE).forEach(r -> cancel.header("Route", r));
        return cancel.header("Max-Forwards", "70")
                .header("From", forwardedInvite.header(HeaderNames.FROM).orElseThrow())
                .header("To", forwardedInvite.header(HeaderNames.TO).orElseThrow())
                .header("Call-ID", forwardedInvite.callId())
                .header("CSeq", forwardedInvite.cseq().number() + " CANCEL")
                .toBytes();
    }
}
