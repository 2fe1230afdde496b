package org.switchboard.node.cdr;

import java.time.Instant;
import java.util.List;

import org.apache.commons.csv.CSVFormat;

/** A call detail record as a CSV line (RFC 4180: CRLF, quoted where needed), and the header line. */
public final class CdrCsv {
    /** The header, in the order of {@link #line}'s fields. */
    public static final List<String> HEADER = List.of("call_id", "leg", "caller", "callee", "request_uri",
            "answered_contact", "start", "answer", "end", "duration_s", "disposition", "sip_status", "hangup_side",
            "cause", "transferred_to", "node");

    private CdrCsv() {
    }

    public static String header() {
        return CSVFormat.RFC4180.format(HEADER.toArray()) + "\r\n";
    }

    /** Times as ISO-8601 UTC with milliseconds, empty when not known; the SIP status empty for answered calls. */
    public static String line(Cdr r) {
        return CSVFormat.RFC4180.format(r.callId(), r.leg(), r.caller(), r.callee(), r.requestUri(),
                r.answeredContact(), time(r.startMillis()), time(r.answerMillis()), time(r.endMillis()),
                r.durationSeconds(), r.disposition(), r.sipStatus() == 0 ? "" : Integer.toString(r.sipStatus()),
                r.hangupSide(), r.cause(), r.transferredTo(), r.node()) + "\r\n";
    }

    private static String time(long millis) {
        return millis > 0 ? Instant.ofEpochMilli(millis).toString() : "";
    }
}
