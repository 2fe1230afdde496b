package org.switchboard.session.proxy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.GruuTarget;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The proxy core of one INVITE (RFC 3261 §16): a pure machine, one record per phase. The Call entity feeds it
 * what happens ({@link ProxyInput}: the registrar's answers, the forks' responses, a CANCEL, the ring timer) with
 * the time, and carries out what it says ({@link ProxyAction}); the transactions toward the caller and each fork
 * (§17) are the executor's. The rules are in {@link ProxyCore}, each under the RFC text it implements.
 *
 * <pre>
 *   Admitting --caller authorised--> LookingUp --devices found--> Forking --2xx / best final--> Decided
 *       |                               |   ^                        |  ^  |
 *       |                               |   +--forwarding (lookup)---+  |  +--CANCEL, ring timer--> Cancelling
 *       +--challenged, refused----------+---not found, refused----------+-------------------------> Decided
 * </pre>
 *
 * A record is the whole of what the proxy knows of the INVITE: handing the call over to another node persists it
 * as it is.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "phase")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InviteProxy.Admitting.class, name = "admitting"),
        @JsonSubTypes.Type(value = InviteProxy.LookingUp.class, name = "looking-up"),
        @JsonSubTypes.Type(value = InviteProxy.Forking.class, name = "forking"),
        @JsonSubTypes.Type(value = InviteProxy.Cancelling.class, name = "cancelling"),
        @JsonSubTypes.Type(value = InviteProxy.Decided.class, name = "decided")})
public sealed interface InviteProxy {
    Invite invite();

    Search search();

    /** The caller's credentials are being checked. */
    record Admitting(Invite invite, Search search) implements InviteProxy {
    }

    /** The registrar is being asked where the callee (or the forwarding target) is; forks may still ring. */
    record LookingUp(Invite invite, Search search, Lookup lookup) implements InviteProxy {
    }

    /** Forks ring; more targets may wait their turn. */
    record Forking(Invite invite, Search search) implements InviteProxy {
    }

    /** Cancelled (by the caller, or the ring timer): the forks are being cancelled; the caller then gets 487. */
    record Cancelling(Invite invite, Search search) implements InviteProxy {
    }

    /** The caller has its final response; only 2xx from other forks still go up. */
    record Decided(Invite invite, Search search, int status) implements InviteProxy {
    }

    /**
     * What the registrar is asked: the AOR, with the Diversion a forwarding adds and how deep it is; for a
     * Request-URI that is a GRUU (RFC 5627), the one device of the AOR it names.
     */
    record Lookup(String aor, Optional<String> diversion, int depth, Optional<GruuTarget> gruu) {
        public Lookup {
            gruu = gruu == null ? Optional.empty() : gruu; // handed over by a node from before GRUUs
        }

        public Lookup(String aor, Optional<String> diversion, int depth) {
            this(aor, diversion, depth, Optional.empty());
        }
    }

    /** A new INVITE (not a re-INVITE): its caller is admitted, or asked to prove who it is. */
    static Step start(Invite invite, ProxyRules rules, Instant now) {
        return ProxyCore.start(invite, rules, now);
    }

    /**
     * A re-INVITE: one fork along the dialog's route set, which the in-dialog router chose and the executor starts
     * (nothing is looked up, forwarded or redirected inside a dialog).
     */
    static InviteProxy reInvite(Invite invite, BranchId fork, String target) {
        Search one = Search.begin(true).with(new Fork(fork, target, 0, false, false));
        return new Forking(invite, one);
    }

    default Step on(ProxyInput input, ProxyRules rules, Instant now) {
        return ProxyCore.on(this, input, rules, now);
    }

    @JsonIgnore
    default boolean isDecided() {
        return this instanceof Decided;
    }

    /** The forks of this INVITE, in the order they were started. */
    @JsonIgnore
    default List<Fork> forks() {
        return search().forks();
    }
}
