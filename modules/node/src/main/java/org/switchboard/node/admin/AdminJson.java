package org.switchboard.node.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.switchboard.node.activity.Activity;
import org.switchboard.registrar.api.AccountView;
import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.session.api.CallView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The admin API's JSON (docs/admin-api.yaml), written from the entities' views and read into their commands. Its
 * own shapes, not the journal's: the API stays put while events evolve.
 */
final class AdminJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AdminJson() {
    }

    static ObjectNode object() {
        return F.objectNode();
    }

    static ArrayNode array() {
        return F.arrayNode();
    }

    static ObjectNode subscriber(String aor, AccountView.Details a, List<ContactBinding> bindings, long now) {
        ObjectNode o = F.objectNode();
        o.put("aor", aor).put("username", a.username()).put("realm", a.realm()).put("enabled", a.enabled())
                .put("sha256", !a.ha1Sha256().isEmpty());
        o.set("forwarding", forwarding(a.forwarding()));
        o.set("limits", limits(a.limits()));
        o.put("bindings", live(bindings, now).size());
        return o;
    }

    static ObjectNode registrations(String aor, AccountView.Details a, List<ContactBinding> bindings, long now) {
        List<ContactBinding> live = live(bindings, now);
        ObjectNode o = F.objectNode();
        o.put("aor", aor).put("status", !a.enabled() ? "DISABLED" : live.isEmpty() ? "NOT_REGISTERED" : "REGISTERED");
        ArrayNode list = o.putArray("bindings");
        live.forEach(b -> list.add(binding(b, now)));
        return o;
    }

    /** One line of a registrations search: the AOR, its status and how many live bindings it has. */
    static ObjectNode registrationSummary(String aor, AccountView.Details a, List<ContactBinding> bindings, long now) {
        int live = live(bindings, now).size();
        return F.objectNode().put("aor", aor)
                .put("status", !a.enabled() ? "DISABLED" : live == 0 ? "NOT_REGISTERED" : "REGISTERED")
                .put("bindings", live);
    }

    /** The edge's samples as columns (one array per figure, index i = sample i), oldest first. */
    static ObjectNode activity(boolean edge, List<Activity.Sample> samples, int pending) {
        ObjectNode o = F.objectNode().put("edge", edge).put("slots", Activity.SLOTS).put("pendingInvites", pending);
        ObjectNode series = o.putObject("series");
        ArrayNode at = series.putArray("at");
        ArrayNode registers = series.putArray("registers");
        ArrayNode invites = series.putArray("invites");
        ArrayNode finals = series.putArray("finals");
        ArrayNode answered = series.putArray("answered");
        ArrayNode p50 = series.putArray("setupP50Ms");
        ArrayNode p99 = series.putArray("setupP99Ms");
        for (Activity.Sample s : samples) {
            at.add(s.atMillis());
            registers.add(s.registers());
            invites.add(s.invites());
            finals.add(s.finals());
            answered.add(s.answered());
            s.setup().ifPresentOrElse(l -> p50.add(l.p50Millis()), p50::addNull);
            s.setup().ifPresentOrElse(l -> p99.add(l.p99Millis()), p99::addNull);
        }
        return o;
    }

    static List<ContactBinding> live(List<ContactBinding> bindings, long now) {
        return bindings.stream().filter(b -> b.liveAt(now)).toList();
    }

    private static ObjectNode binding(ContactBinding b, long now) {
        ObjectNode o = F.objectNode();
        o.put("contact", b.contact()).put("q", b.q()).put("expires", b.remainingSeconds(now))
                .put("expiresAt", Instant.ofEpochMilli(b.expiresAtMillis()).toString())
                .put("updatedAt", Instant.ofEpochMilli(b.updatedAtMillis()).toString())
                .put("transport", b.transport().name())
                .put("source", b.source().host() + ":" + b.source().port());
        b.userAgent().ifPresent(ua -> o.put("userAgent", ua));
        b.receivedBy().ifPresent(n -> o.put("transportNode", n));
        b.instanceId().ifPresent(i -> o.put("instance", i));
        if (b.regId() > 0) {
            o.put("regId", b.regId());
        }
        if (!b.path().isEmpty()) {
            ArrayNode path = o.putArray("path");
            b.path().forEach(path::add);
        }
        return o;
    }

    static ObjectNode forwarding(ForwardingRules r) {
        ObjectNode o = F.objectNode();
        r.unconditional().ifPresent(u -> o.put("unconditional", u));
        r.onBusy().ifPresent(u -> o.put("onBusy", u));
        r.onNoAnswer().ifPresent(u -> o.put("onNoAnswer", u).put("noAnswerSeconds", r.noAnswerSeconds()));
        r.onUnavailable().ifPresent(u -> o.put("onUnavailable", u));
        return o;
    }

    static ObjectNode limits(CallLimits l) {
        ObjectNode o = F.objectNode();
        l.maxConcurrent().ifPresent(n -> o.put("maxConcurrent", n));
        l.maxPerMinute().ifPresent(n -> o.put("maxPerMinute", n));
        return o;
    }

    static ForwardingRules forwardingFrom(JsonNode body) {
        return new ForwardingRules(text(body, "unconditional"), text(body, "onBusy"), text(body, "onNoAnswer"),
                body.path("noAnswerSeconds").asInt(0), text(body, "onUnavailable"));
    }

    static CallLimits limitsFrom(JsonNode body) {
        return new CallLimits(integer(body, "maxConcurrent"), integer(body, "maxPerMinute"));
    }

    static Optional<String> text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return Optional.of(v.asText()).filter(s -> !s.isBlank());
    }

    private static Optional<Integer> integer(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isInt()) {
            throw new IllegalArgumentException(field + " is not an integer");
        }
        return Optional.of(v.asInt());
    }

    static ObjectNode call(CallView c, long now) {
        ObjectNode o = F.objectNode();
        o.put("callId", c.callId()).put("state", c.state()).put("from", c.from()).put("to", c.to())
                .put("node", c.node());
        if (c.answeredAtMillis() > 0) {
            o.put("answeredAt", Instant.ofEpochMilli(c.answeredAtMillis()).toString())
                    .put("age", Math.max(0, (now - c.answeredAtMillis()) / 1000));
        }
        if (!c.callerContact().isEmpty()) {
            o.put("caller", c.callerContact());
        }
        if (!c.calleeContact().isEmpty()) {
            o.put("callee", c.calleeContact());
        }
        if (c.sessionExpiresAtMillis() > 0) {
            o.put("sessionExpires", Math.max(0, (c.sessionExpiresAtMillis() - now) / 1000));
        }
        if (c.endedAtMillis() > 0) {
            o.put("endedAt", Instant.ofEpochMilli(c.endedAtMillis()).toString()).put("endCause", c.endCause());
        }
        return o;
    }
}
