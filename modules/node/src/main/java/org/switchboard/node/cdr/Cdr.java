package org.switchboard.node.cdr;

import java.util.Optional;

import org.switchboard.session.CallEvent;
import org.switchboard.sip.NameAddress;

/**
 * One call detail record: one attempt of one Call-ID. A Call-ID has at most one answered attempt (leg 0: once
 * answered a Call entity never sets up again) and any number of failed ones before it, each keyed by the sequence
 * number of its {@code CallFailed} event (a caller may try again with the same Call-ID), so a replayed event always
 * lands on the same row.
 *
 * <p>Built by {@link #merge}: each event sets only the columns it knows, so the result does not depend on the order
 * in which the events of a record are read, nor on how often (a replay after a restart). Times are epoch
 * milliseconds, 0 where not known; strings are empty where not known.
 *
 * @param caller          the caller's From URI
 * @param callee          the To URI
 * @param requestUri      the INVITE's Request-URI (failed attempts; empty for answered ones)
 * @param answeredContact the Contact of the callee that answered
 * @param startMillis     when the INVITE reached the call's entity
 * @param answerMillis    when the answer was written
 * @param endMillis       when the call ended (the failure, or the end of an answered call)
 * @param sipStatus       a failed attempt's final status (0 for an answered call)
 * @param hangupSide      caller, callee, timer, operator, node or unknown
 * @param cause           the end's cause ("BYE 200", "session timer expired"), or a failure's reason phrase
 * @param transferredTo   the Refer-To of an accepted transfer
 * @param node            the core node that wrote the attempt's last event
 */
public record Cdr(String callId, long leg, String caller, String callee, String requestUri, String answeredContact,
                  long startMillis, long answerMillis, long endMillis, int sipStatus, String hangupSide, String cause,
                  String transferredTo, String node) {

    /** The key of an answered call's record. */
    public static final long ANSWERED_LEG = 0;

    /** The record's key for an event of the call, or empty if the event is not one a CDR is made of. */
    public static Optional<Long> leg(CallEvent event, long sequenceNr) {
        if (event instanceof CallEvent.CallFailed) {
            return Optional.of(sequenceNr);
        }
        if (event instanceof CallEvent.CallAnswered || event instanceof CallEvent.CallEnded
                || event instanceof CallEvent.CallTransferred) {
            return Optional.of(ANSWERED_LEG);
        }
        return Optional.empty();
    }

    /** An empty record of this key, to merge the first event into. */
    public static Cdr empty(String callId, long leg) {
        return new Cdr(callId, leg, "", "", "", "", 0, 0, 0, 0, "", "", "", "");
    }

    /** The record with what {@code event} (one of the call's, of this record's {@link #leg}) says merged in. */
    public Cdr merge(CallEvent event) {
        if (event instanceof CallEvent.CallAnswered a) {
            return new Cdr(callId, leg, uri(a.dialog().from()), uri(a.dialog().to()), requestUri,
                    uri(a.dialog().calleeContact()), or(a.invitedAtMillis(), startMillis), a.atMillis(), endMillis,
                    sipStatus, hangupSide, cause, transferredTo, node.isEmpty() ? a.node() : node);
        }
        if (event instanceof CallEvent.CallTransferred t) {
            return new Cdr(callId, leg, caller, callee, requestUri, answeredContact, startMillis, answerMillis,
                    endMillis, sipStatus, hangupSide, cause, t.target(), node);
        }
        if (event instanceof CallEvent.CallEnded e) {
            // the node that ended the call is the record's node; an answer read after it does not replace it
            return new Cdr(callId, leg, caller, callee, requestUri, answeredContact, startMillis, answerMillis,
                    e.atMillis(), sipStatus, e.by().isEmpty() ? "unknown" : e.by(), e.cause(), transferredTo,
                    e.node().isEmpty() ? node : e.node());
        }
        if (event instanceof CallEvent.CallFailed f) {
            return new Cdr(callId, leg, uri(f.from()), uri(f.to()), f.requestUri(), answeredContact,
                    or(f.invitedAtMillis(), startMillis), answerMillis, f.atMillis(), f.status(),
                    f.status() == CANCELLED ? "caller" : "callee", (f.status() + " " + f.reason()).strip(), transferredTo,
                    f.node());
        }
        return this;
    }

    /** Status of an INVITE the caller cancelled (RFC 3261 §9.2: 487 Request Terminated). */
    static final int CANCELLED = 487;

    /** answered, transferred, cancelled or failed. */
    public String disposition() {
        if (sipStatus == CANCELLED) {
            return "cancelled";
        }
        if (sipStatus > 0) {
            return "failed";
        }
        return transferredTo.isEmpty() ? "answered" : "transferred";
    }

    /** Whole seconds from the answer to the end; 0 until both are known. */
    public long durationSeconds() {
        return answerMillis > 0 && endMillis >= answerMillis ? (endMillis - answerMillis) / 1000 : 0;
    }

    /** Whether nothing more will come for this record: a failure, or the end of an answered call. */
    public boolean complete() {
        return endMillis > 0;
    }

    /** The time a period's export selects the record by: its start, else its answer, else its end. */
    public long periodMillis() {
        return startMillis > 0 ? startMillis : answerMillis > 0 ? answerMillis : endMillis;
    }

    private static long or(long known, long otherwise) {
        return known > 0 ? known : otherwise;
    }

    /** The URI of a From or To header value; the text as it is if it does not parse. */
    static String uri(String nameAddress) {
        if (nameAddress.isBlank()) {
            return "";
        }
        try {
            return NameAddress.parse(nameAddress).uri().toString();
        } catch (RuntimeException e) {
            return nameAddress.strip();
        }
    }
}
