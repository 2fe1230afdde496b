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
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.ResponseBuilder;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;

/**
 * REGISTER processing of RFC 3261 §10.3 for an AOR with an account, as a pure function of state, request and
 * time: the events to persist and the response to send once they are persisted.
 */
final class RegisterHandler {
    private final RegistrarSettings settings;
    private final Nonces nonces;

    RegisterHandler(RegistrarSettings settings) {
        this.settings = settings;
        this.nonces = new Nonces(settings.clusterSecret(), settings.nonceLifetimeMillis());
    }

    RegisterOutcome handle(RegistrationState.Provisioned state, SipRequest request, Envelope envelope, long now) {
        DigestCheck.Result auth = DigestCheck.check(request, state.account(), nonces, now);
        if (auth instanceof DigestCheck.Challenge c) {
            return RegisterOutcome.reply(response(request, 401, "Unauthorized")
                    .header("WWW-Authenticate", c.challenge().headerValue()).toBytes());
        }
        if (auth instanceof DigestCheck.Forbidden f) {
            return RegisterOutcome.reply(response(request, 403, "Forbidden - " + f.username() + " may not register this AOR").toBytes());
        }
        if (auth instanceof DigestCheck.Malformed m) {
            return RegisterOutcome.reply(response(request, 400, "Bad Request - " + m.reason()).toBytes());
        }
        try {
            return bind(state, request, envelope, now);
        } catch (SipParseException e) {
            return RegisterOutcome.reply(response(request, 400, "Bad Request - " + e.error().reason()).toBytes());
        }
    }

    private RegisterOutcome bind(RegistrationState.Provisioned state, SipRequest request, Envelope envelope, long now) {
        List<RegistrationEvent> events = new ArrayList<>();
        Map<String, ContactBinding> current = new HashMap<>(state.bindings());
        current.forEach((key, b) -> {
            if (!b.liveAt(now)) {
                events.add(new RegistrationEvent.BindingRemoved(key, "expired"));
            }
        });
        current.values().removeIf(b -> !b.liveAt(now));
        OptionalInt headerExpires = request.expires();
        String callId = request.callId();
        long cseq = request.cseq().number();

        if (request.hasWildcardContact()) {
            if (request.contacts().size() > 0 || headerExpires.isEmpty() || headerExpires.getAsInt() != 0) {
                return RegisterOutcome.reply(response(request, 400, "Bad Request - Contact * needs Expires: 0 and no other Contact").toBytes());
            }
            current.keySet().forEach(k -> events.add(new RegistrationEvent.BindingRemoved(k, "unregistered")));
            current.clear();
        }
        for (NameAddress contact : request.contacts()) {
            int expires = contact.params().get("expires").map(org.switchboard.sip.SipMessage::parseDelta)
                    .orElse(headerExpires.orElse(settings.defaultExpires()));
            if (expires > 0 && expires < settings.minExpires()) {
                return RegisterOutcome.reply(response(request, 423, "Interval Too Brief")
                        .header("Min-Expires", Integer.toString(settings.minExpires())).toBytes());
            }
            Optional<String> instance = contact.params().get("+sip.instance").filter(s -> !s.isEmpty());
            String uri = contact.uri().toString();
            String key = instance.orElse(uri);
            ContactBinding existing = current.get(key);
            if (existing != null && existing.callId().equals(callId) && existing.cseq() > cseq) {
                return RegisterOutcome.reply(response(request, 500, "Server Internal Error - out of order CSeq")
                        .header("Retry-After", "1").toBytes());
            }
            if (expires == 0) {
                if (current.remove(key) != null) {
                    events.add(new RegistrationEvent.BindingRemoved(key, "unregistered"));
                }
                continue;
            }
            int granted = Math.min(expires, settings.maxExpires());
            double q = contact.params().get("q").map(RegisterHandler::parseQ).orElse(1.0);
            ContactBinding binding = new ContactBinding(uri, q, now + granted * 1000L, callId, cseq, instance,
                    envelope.transport(), envelope.remote(), envelope.flow());
            if (existing == null && current.size() >= settings.maxBindings()) {
                return RegisterOutcome.reply(response(request, 403, "Forbidden - at most " + settings.maxBindings()
                        + " devices per account").toBytes());
            }
            current.put(key, binding);
            events.add(new RegistrationEvent.BindingSaved(key, binding));
        }
        ResponseBuilder ok = response(request, 200, "OK");
        current.values().stream()
                .sorted(java.util.Comparator.comparingDouble(ContactBinding::q).reversed())
                .forEach(b -> ok.header("Contact", "<" + b.contact() + ">;expires=" + b.remainingSeconds(now)));
        ok.header("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(now).atOffset(ZoneOffset.UTC)));
        return new RegisterOutcome(events, ok.toBytes());
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
