package org.switchboard.registrar;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.Gruus;
import org.switchboard.sip.Branches;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.ResponseBuilder;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;

/**
 * REGISTER processing of RFC 3261 §10.3 for an AOR with an account, as a function of state, request and time:
 * the events to persist, the refreshes to keep in memory, and the response to send once the events are stored.
 */
final class RegisterHandler {
    private static final int MAX_USER_AGENT = 120;
    /** Safety margin of the refresh rule on top of two refresh intervals. */
    static final long REFRESH_MARGIN_MILLIS = 10_000;

    private final RegistrarSettings settings;
    private final Nonces nonces;
    private final Gruus gruus;

    RegisterHandler(RegistrarSettings settings, Nonces nonces) {
        this.settings = settings;
        this.nonces = nonces;
        this.gruus = new Gruus(new Branches(settings.clusterSecret()).keyFor(Gruus.KEY_PURPOSE));
    }

    Nonces nonces() {
        return nonces;
    }

    /**
     * @param state     the AOR's state: an AOR without account is only ever answered 401 or 403 (by {@code auth}),
     *                  exactly like one with
     * @param effective the bindings as they stand, in-memory refreshes included
     * @param auth      the request's digest check
     */
    RegisterOutcome handle(RegistrationState state, Map<String, ContactBinding> effective, SipRequest request,
                           Envelope envelope, DigestCheck.Result auth, long now) {
        if (auth instanceof DigestCheck.Challenge c) {
            ResponseBuilder r = response(request, 401, "Unauthorized");
            c.challenges().forEach(ch -> r.header("WWW-Authenticate", ch.headerValue()));
            return RegisterOutcome.reply(r.toBytes());
        }
        if (auth instanceof DigestCheck.Malformed m) {
            return reply(request, 400, "Bad Request - " + m.reason());
        }
        if (!(auth instanceof DigestCheck.Authorised) || !(state instanceof RegistrationState.Provisioned provisioned)) {
            return reply(request, 403, "Forbidden");
        }
        if (!provisioned.account().enabled()) {
            return reply(request, 403, "Forbidden - account disabled");
        }
        try {
            return bind(provisioned, effective, request, envelope, now);
        } catch (SipParseException e) {
            return reply(request, 400, "Bad Request - " + e.error().reason());
        }
    }

    private RegisterOutcome bind(RegistrationState.Provisioned state, Map<String, ContactBinding> effective,
                                 SipRequest request, Envelope envelope, long now) {
        List<RegistrationEvent> events = new ArrayList<>();
        Map<String, ContactBinding> refreshes = new HashMap<>();
        Map<String, ContactBinding> current = new HashMap<>(effective);
        current.forEach((key, b) -> {
            if (!b.liveAt(now)) {
                events.add(new RegistrationEvent.BindingRemoved(key, "expired"));
            }
        });
        current.values().removeIf(b -> !b.liveAt(now));
        OptionalInt headerExpires = request.expires();
        String callId = request.callId();
        long cseq = request.cseq().number();
        List<String> path = request.headers("path");

        if (request.hasWildcardContact()) {
            if (!request.contacts().isEmpty() || headerExpires.isEmpty() || headerExpires.getAsInt() != 0) {
                return reply(request, 400, "Bad Request - Contact * needs Expires: 0 and no other Contact");
            }
            for (ContactBinding b : current.values()) {
                if (b.callId().equals(callId) && b.cseq() >= cseq) {
                    return outOfOrder(request);
                }
            }
            current.keySet().forEach(k -> events.add(new RegistrationEvent.BindingRemoved(k, "unregistered")));
            current.clear();
        }
        for (NameAddress contact : request.contacts()) {
            int expires = contact.params().get("expires").map(SipMessage::parseDelta)
                    .orElse(headerExpires.orElse(settings.defaultExpires()));
            if (expires > 0 && expires < settings.minExpires()) {
                return RegisterOutcome.reply(response(request, 423, "Interval Too Brief")
                        .header("Min-Expires", Integer.toString(settings.minExpires())).toBytes());
            }
            if (contact.uri().params().has("gr")) {
                // a GRUU leads to a binding; a binding that is a GRUU would lead to itself, or to another GRUU
                return reply(request, 403, "Forbidden - a GRUU cannot be registered as a Contact");
            }
            Optional<String> instance = contact.params().get("+sip.instance").filter(s -> !s.isEmpty());
            int regId = contact.params().get("reg-id").map(SipMessage::parseDelta).orElse(0);
            String uri = contact.uri().toString();
            String key = instance.map(i -> i + ";reg-id=" + regId).orElse(uri);
            ContactBinding existing = current.get(key);
            if (existing != null && existing.callId().equals(callId) && existing.cseq() >= cseq) {
                return outOfOrder(request);
            }
            if (expires == 0) {
                if (current.remove(key) != null) {
                    events.add(new RegistrationEvent.BindingRemoved(key, "unregistered"));
                    refreshes.remove(key);
                }
                continue;
            }
            long expiresAt = now + Math.min(expires, settings.maxExpires()) * 1000L;
            double q = contact.params().get("q").map(RegisterHandler::parseQ).orElse(1.0);
            ContactBinding binding = new ContactBinding(uri, q, expiresAt, now, callId, cseq, instance, regId, path,
                    envelope.transport(), envelope.remote(), envelope.flow(), request.vias().size() == 1,
                    request.header("User-Agent").map(RegisterHandler::bounded),
                    Optional.of(envelope.replyTo().path().address().hostPort()));
            if (existing == null && current.size() >= settings.maxBindings()) {
                return reply(request, 403, "Forbidden - at most " + settings.maxBindings() + " devices per account");
            }
            current.put(key, binding);
            ContactBinding durable = state.bindings().get(key);
            if (existing != null && durable != null && durable.sameRouteAs(binding)
                    && durableOutlivesNextRefresh(durable, existing, expiresAt, now)) {
                refreshes.put(key, binding);
            } else {
                events.add(new RegistrationEvent.BindingSaved(key, binding));
            }
        }
        ResponseBuilder ok = response(request, 200, "OK");
        boolean wantsGruu = supports(request, "gruu");
        String aor = request.to().uri().addressOfRecord();
        RegistrationState.Provisioned.ordered(List.copyOf(current.values()))
                .forEach(b -> ok.header("Contact", "<" + b.contact() + ">" + b.instanceId()
                        .map(i -> ";+sip.instance=" + i + (b.regId() > 0 ? ";reg-id=" + b.regId() : "")
                                + (wantsGruu ? gruuParams(aor, Gruus.instanceOf(i), b, cseq, now) : "")).orElse("")
                        + ";expires=" + b.remainingSeconds(now)));
        path.forEach(p -> ok.header("Path", p));
        settings.edge().serviceRoute().forEach(r -> ok.header("Service-Route", r));
        if (settings.edge().wantsFlow(request)) {
            ok.header("Require", "outbound").header("Flow-Timer", Integer.toString(settings.edge().flowTimerSeconds()));
        }
        ok.header("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(now).atOffset(ZoneOffset.UTC)));
        return new RegisterOutcome(events, refreshes, ok.toBytes());
    }

    /**
     * RFC 5627 §5.2: to a REGISTER with {@code Supported: gruu}, each Contact with an instance id carries its public
     * GRUU (the same every time) and a new temporary one (valid as long as the instance stays registered under this
     * Call-ID). Nothing else announces it: no {@code Require: gruu}, as in the RFC's example 200.
     */
    private String gruuParams(String aor, String instance, ContactBinding b, long cseq, long now) {
        return ";pub-gruu=\"" + Gruus.publicGruu(aor, instance) + "\";temp-gruu=\""
                + gruus.temporaryGruu(aor, instance, b.callId(), cseq, now) + "\"";
    }

    private static boolean supports(SipRequest request, String optionTag) {
        return request.headers("supported").stream().flatMap(v -> List.of(v.split(",")).stream())
                .anyMatch(o -> o.trim().equalsIgnoreCase(optionTag));
    }

    /**
     * The refresh rule: a refresh that only pushes the expiry out stays in memory when the durable record will
     * outlive the device's next two refreshes (at its observed cadence) plus a margin; otherwise it is persisted.
     * A refresh that shortens the binding is always persisted.
     */
    static boolean durableOutlivesNextRefresh(ContactBinding durable, ContactBinding previous, long newExpiresAt,
                                              long now) {
        if (newExpiresAt < durable.expiresAtMillis()) {
            return false;
        }
        return durableCoversDeviceUntilDue(durable, now - previous.updatedAtMillis(), now);
    }

    /**
     * What the durability rule needs of a binding whose latest refresh is held in memory, at {@code now} (a
     * refresh, or the entity's passivation): the durable expiry still at least two of the device's refresh
     * intervals plus {@link #REFRESH_MARGIN_MILLIS} away, so that a crash from now on can cost the device nothing
     * before it is back, even one refresh late.
     */
    static boolean durableCoversDeviceUntilDue(ContactBinding durable, long intervalMillis, long now) {
        return intervalMillis > 0 && durable.expiresAtMillis() >= now + 2 * intervalMillis + REFRESH_MARGIN_MILLIS;
    }

    private static RegisterOutcome outOfOrder(SipRequest request) {
        return RegisterOutcome.reply(response(request, 500, "Server Internal Error - CSeq out of order")
                .header("Retry-After", "1").toBytes());
    }

    private static RegisterOutcome reply(SipRequest request, int status, String reason) {
        return RegisterOutcome.reply(response(request, status, reason).toBytes());
    }

    /** A device's own text kept in every binding: at most this long, whatever it sends. */
    private static String bounded(String userAgent) {
        return userAgent.length() <= MAX_USER_AGENT ? userAgent : userAgent.substring(0, MAX_USER_AGENT);
    }

    private static double parseQ(String text) {
        try {
            double q = Double.parseDouble(text);
            if (q < 0 || q > 1) {
                throw new SipParseException(0, "q between 0 and 1");
            }
            return q;
        } catch (NumberFormatException e) {
            throw new SipParseException(0, "q value");
        }
    }

    static ResponseBuilder response(SipRequest request, int code, String reason) {
        return request.response(code, reason).toTag(Integer.toHexString(request.callId().hashCode()));
    }

}
