package org.switchboard.node.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.switchboard.session.CallEvent;
import org.switchboard.session.Dialog;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The pure mapping of a call's outcome events to its call detail records, and their CSV line. */
class CdrTest {
    private static final Dialog DIALOG = new Dialog("call-1", "\"Alice\" <sip:alice@sip.test>;tag=a1",
            "<sip:bob@sip.test>;tag=b1", "<sip:alice@192.0.2.10:5060>", Destination.udp("192.0.2.10", 5060),
            "<sip:bob@192.0.2.20:5062;transport=udp>", Destination.udp("192.0.2.20", 5062), 1, 0, 0,
            new Peer("127.0.0.1", 5060));
    private static final String NODE = "switchboard@127.0.0.1:25520";

    private static Cdr apply(String callId, long leg, List<CallEvent> events) {
        Cdr r = Cdr.empty(callId, leg);
        for (CallEvent e : events) {
            r = r.merge(e);
        }
        return r;
    }

    @Test
    void anAnsweredCallHungUpByTheCallerHasItsPartiesTimesDurationAndSide() {
        List<CallEvent> events = List.of(new CallEvent.CallAnswered(DIALOG, 10_500, 0, 10_000, NODE),
                new CallEvent.CallEnded("BYE 200", 73_400, "caller", NODE));
        assertEquals(Optional.of(Cdr.ANSWERED_LEG), Cdr.leg(events.get(0), 1));
        assertEquals(Optional.of(Cdr.ANSWERED_LEG), Cdr.leg(events.get(1), 2));
        Cdr r = apply("call-1", 0, events);
        assertEquals(new Cdr("call-1", 0, "sip:alice@sip.test", "sip:bob@sip.test", "", "sip:bob@192.0.2.20:5062;transport=udp",
                10_000, 10_500, 73_400, 0, "caller", "BYE 200", "", NODE), r);
        assertEquals("answered", r.disposition());
        assertEquals(62, r.durationSeconds());
        assertEquals(10_000, r.periodMillis());
        assertEquals(List.of("call-1", "0", "sip:alice@sip.test", "sip:bob@sip.test", "",
                "sip:bob@192.0.2.20:5062;transport=udp", "1970-01-01T00:00:10Z", "1970-01-01T00:00:10.500Z",
                "1970-01-01T00:01:13.400Z", "62", "answered", "", "caller", "BYE 200", "", NODE), csv(CdrCsv.line(r)));
        assertEquals(CdrCsv.HEADER, csv(CdrCsv.header()));
    }

    @Test
    void theEventsOfARecordGiveTheSameRowInAnyOrderAndRepeated() {
        List<CallEvent> events = new ArrayList<>(List.of(new CallEvent.CallAnswered(DIALOG, 10_500, 0, 10_000, "n1"),
                new CallEvent.CallTransferred("<sip:carol@sip.test>", 20_000),
                new CallEvent.CallEnded("BYE 200", 30_000, "callee", "n2")));
        Cdr inOrder = apply("call-1", 0, events);
        assertEquals("transferred", inOrder.disposition());
        assertEquals("n2", inOrder.node(), "the node that ended the call");
        List<CallEvent> replayed = new ArrayList<>(events);
        replayed.addAll(events); // read again after a restart from an older offset
        assertEquals(inOrder, apply("call-1", 0, replayed));
        Collections.reverse(events); // a late-committing answer read after its end
        assertEquals(inOrder, apply("call-1", 0, events));
    }

    @Test
    void failedAndCancelledAttemptsAreRecordsOfTheirOwnKeyedByTheirEvent() {
        CallEvent busy = new CallEvent.CallFailed(486, "Busy Here", "<sip:alice@sip.test>;tag=x", "<sip:bob@sip.test>",
                5_000, "sip:bob@sip.test", 4_000, NODE);
        assertEquals(Optional.of(3L), Cdr.leg(busy, 3));
        Cdr r = apply("call-2", 3, List.of(busy, busy));
        assertEquals("failed", r.disposition());
        assertEquals(486, r.sipStatus());
        assertEquals("486 Busy Here", r.cause());
        assertEquals("callee", r.hangupSide());
        assertEquals(0, r.durationSeconds());
        assertEquals(4_000, r.startMillis());
        assertEquals(5_000, r.endMillis());
        assertEquals("sip:bob@sip.test", r.requestUri());

        Cdr cancelled = apply("call-3", 1, List.of(new CallEvent.CallFailed(487, "Request Terminated",
                "<sip:alice@sip.test>;tag=x", "<sip:bob@sip.test>", 9_000, "sip:bob@sip.test", 8_000, NODE)));
        assertEquals("cancelled", cancelled.disposition());
        assertEquals("caller", cancelled.hangupSide());
        assertEquals(Optional.empty(), Cdr.leg(new CallEvent.SessionRefreshed(DIALOG, 1, 2), 4));
    }

    @Test
    void eventsWrittenBeforeTheNewFieldsStillReadWithThoseFieldsUnknown() throws Exception {
        // Jackson's record support as Akka's serializer uses it (an ActorSystem here costs seconds on a busy machine)
        ObjectMapper json = new ObjectMapper();
        CallEvent ended = json.readValue("{\"cause\":\"BYE 200\",\"atMillis\":5000}", CallEvent.CallEnded.class);
        assertEquals(new CallEvent.CallEnded("BYE 200", 5000, "", ""), ended);
        CallEvent failed = json.readValue("{\"status\":486,\"reason\":\"Busy Here\",\"from\":\"<sip:a@x>;tag=1\","
                + "\"to\":\"<sip:b@x>\",\"atMillis\":7}", CallEvent.CallFailed.class);
        assertEquals(new CallEvent.CallFailed(486, "Busy Here", "<sip:a@x>;tag=1", "<sip:b@x>", 7), failed);
        Cdr r = apply("old", 0, List.of(ended));
        assertEquals("unknown", r.hangupSide());
        assertEquals(0, r.durationSeconds(), "no answer read: no duration");
    }

    private static List<String> csv(String line) {
        try {
            CSVRecord record = CSVFormat.RFC4180.parse(new java.io.StringReader(line)).getRecords().get(0);
            return record.toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
