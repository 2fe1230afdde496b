package org.switchboard.session;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.switchboard.sip.HeaderName;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * The subscription dialogs (RFC 6665) of a Call-ID that went through this entity: created by a 2xx to a SUBSCRIBE
 * (or an out-of-dialog REFER, RFC 3515), refreshed by a 2xx to a re-SUBSCRIBE, ended when their expiry passes or a
 * NOTIFY says {@code Subscription-State: terminated}. A request of a dialog known to have ended gets 481 (RFC 6665
 * §4.1.3: the dialog is gone). In memory: after a failover or passivation the dialog's requests are routed by the
 * Record-Route token alone, as a call's are; only the end is not known then.
 */
final class Subscriptions {
    /** RFC 6665 §4.1.2.1 leaves the default to the package; an hour is what the common ones use. */
    static final int DEFAULT_EXPIRES_SECONDS = 3600;

    /** A dialog by its two tags, in either order. */
    private record Tags(String a, String b) {
        static Tags of(String x, String y) {
            return x.compareTo(y) <= 0 ? new Tags(x, y) : new Tags(y, x);
        }
    }

    private final Map<Tags, Long> expiresAt = new HashMap<>();
    private final Map<Tags, Long> ended = new HashMap<>();

    /** A 2xx to the SUBSCRIBE (or REFER) {@code request}: the dialog between its From tag and the 2xx's To tag. */
    void started(SipRequest request, SipResponse ok, long nowMillis) {
        tags(request.from().tag(), ok.to().tag()).ifPresent(t -> {
            expiresAt.put(t, nowMillis + 1000L * expires(ok).or(() -> expires(request)).orElse(DEFAULT_EXPIRES_SECONDS));
            ended.remove(t);
        });
    }

    /** A 2xx to an in-dialog re-SUBSCRIBE pushes the expiry out (an Expires of 0 ends it). */
    void refreshed(SipResponse ok, long nowMillis) {
        tags(ok.from().tag(), ok.to().tag()).filter(expiresAt::containsKey).ifPresent(t -> {
            int seconds = expires(ok).orElse(DEFAULT_EXPIRES_SECONDS);
            if (seconds == 0) {
                end(t, nowMillis);
            } else {
                expiresAt.put(t, nowMillis + 1000L * seconds);
            }
        });
    }

    /**
     * A NOTIFY that terminates a subscription this entity started: that dialog ends once it is relayed. Only such
     * dialogs: a REFER inside a call creates a subscription that shares the call's dialog (RFC 3515 §2.4.4), and
     * its last NOTIFY ends the subscription, never the call.
     */
    void notified(SipRequest notify, long nowMillis) {
        Optional<String> state = notify.header(HeaderName.SUBSCRIPTION_STATE);
        if (state.isPresent() && state.get().trim().toLowerCase(Locale.ROOT).startsWith("terminated")) {
            tags(notify.from().tag(), notify.to().tag()).filter(expiresAt::containsKey).ifPresent(t -> end(t, nowMillis));
        }
    }

    boolean knows(SipMessage message, long nowMillis) {
        return tags(message.from().tag(), message.to().tag())
                .map(t -> expiresAt.getOrDefault(t, 0L) > nowMillis).orElse(false);
    }

    /** Whether the request belongs to a subscription dialog known to have ended (expired or terminated). */
    boolean ended(SipRequest request, long nowMillis) {
        Optional<Tags> t = tags(request.from().tag(), request.to().tag());
        if (t.isEmpty()) {
            return false;
        }
        Long until = expiresAt.get(t.get());
        return ended.containsKey(t.get()) || (until != null && until <= nowMillis);
    }

    boolean isEmpty() {
        return expiresAt.isEmpty();
    }

    private void end(Tags t, long nowMillis) {
        expiresAt.remove(t);
        ended.put(t, nowMillis);
    }

    private static Optional<Integer> expires(SipMessage message) {
        try {
            return message.header(HeaderName.EXPIRES).map(v -> Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Tags> tags(Optional<String> one, Optional<String> other) {
        return one.isPresent() && other.isPresent() ? Optional.of(Tags.of(one.get(), other.get())) : Optional.empty();
    }
}
