package org.switchboard.session;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.OptionalInt;

import org.switchboard.sip.Branches;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.RequestBuilder;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.Via;

/** The messages a proxy writes itself or changes on the way through (RFC 3261 §16.6, §16.7, §9.1, §17.1.1.3). */
final class ProxyMessages {
    /** Via parameter carrying {@link #loopHash}: a request that comes back unchanged through us is a loop. */
    static final String LOOP_PARAM = "sb-loop";

    private ProxyMessages() {
    }

    /** A request that already passed through us unchanged: one of our Vias carries its {@link #loopHash}. */
    static boolean isLoop(SipRequest request, Branches branches) {
        String hash = loopHash(request);
        for (Via via : request.vias()) {
            if (via.params().get(LOOP_PARAM).filter(hash::equals).isPresent()
                    && via.branch().filter(b -> branches.isOurs(b, request.callId())).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Decrements Max-Forwards, or adds the default of 70 when the sender left it out (§16.6 step 3). */
    static MessageEditor decrementMaxForwards(SipRequest request, MessageEditor edit) {
        OptionalInt mf = request.maxForwards();
        return edit.set(HeaderName.MAX_FORWARDS, Integer.toString(mf.isPresent() ? mf.getAsInt() - 1 : 70));
    }

    /**
     * What makes a request the same for loop detection (§16.3 step 4, §16.6 step 8): Request-URI, From tag,
     * Call-ID, CSeq and Route. A spiral (the request comes back with another Request-URI) is not a loop.
     */
    static String loopHash(SipRequest request) {
        String basis = request.requestUriText() + "|" + request.from().tag().orElse("") + "|" + request.callId() + "|"
                + request.header(HeaderName.CSEQ).orElse("") + "|" + String.join(",", request.headers(HeaderName.ROUTE));
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(basis.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response as it goes upstream: our Via popped, the rest untouched. */
    static byte[] popVia(SipResponse response) {
        return response.edit().removeFirstValue(HeaderName.VIA).toBytes();
    }

    /** The ACK for a non-2xx final response to a forwarded INVITE, sent hop by hop (§17.1.1.3). */
    static byte[] ackFor(SipRequest forwardedInvite, SipResponse response) {
        return sameTransaction("ACK", forwardedInvite, response.header(HeaderName.TO).orElseThrow());
    }

    /** The CANCEL of a forwarded INVITE: same Request-URI, Via (branch), From, To, Call-ID and Route (§9.1). */
    static byte[] cancelFor(SipRequest forwardedInvite) {
        return sameTransaction("CANCEL", forwardedInvite, forwardedInvite.header(HeaderName.TO).orElseThrow());
    }

    /** A request of the forwarded INVITE's own transaction: its Request-URI, top Via, Route set and CSeq number. */
    private static byte[] sameTransaction(String method, SipRequest forwardedInvite, String to) {
        RequestBuilder request = new RequestBuilder(method, forwardedInvite.requestUriText())
                .header(HeaderName.VIA, forwardedInvite.headers(HeaderName.VIA).get(0));
        forwardedInvite.headers(HeaderName.ROUTE).forEach(r -> request.header(HeaderName.ROUTE, r));
        return request.header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, forwardedInvite.header(HeaderName.FROM).orElseThrow())
                .header(HeaderName.TO, to)
                .header(HeaderName.CALL_ID, forwardedInvite.callId())
                .header(HeaderName.CSEQ, forwardedInvite.cseq().number() + " " + method)
                .toBytes();
    }

    /**
     * A BYE the proxy sends on its own to one side of a dialog (session timer ran out, RFC 4028 §10).
     *
     * @param from the From header value as that side will see it (the other side's identity and tag)
     * @param to   the To header value (this side's identity and tag)
     */
    static byte[] byeTo(String target, String via, String from, String to, String callId, long cseq, String reason) {
        return new RequestBuilder("BYE", target)
                .header(HeaderName.VIA, via)
                .header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, from)
                .header(HeaderName.TO, to)
                .header(HeaderName.CALL_ID, callId)
                .header(HeaderName.CSEQ, cseq + " BYE")
                .header(HeaderName.REASON, reasonHeader(reason))
                .toBytes();
    }

    /**
     * RFC 3326: a session the proxy gave up on is a timeout (SIP 408); one the operator hung up is an ordinary
     * clearing (Q.850 cause 16), not a failure, so that CDRs and the phones' displays do not report an error.
     */
    static String reasonHeader(String reason) {
        return (reason.equals(CallDeadlines.OPERATOR) ? "Q.850;cause=16" : "SIP;cause=408") + ";text=\"" + reason + "\"";
    }
}
