package org.switchboard.transport.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** A Destination is in persisted dialogs and cluster messages (Jackson): the lookup kind survives, old JSON reads. */
class DestinationJsonTest {
    private final ObjectMapper json = new ObjectMapper().registerModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // as akka-serialization-jackson configures it

    @Test
    void theLookupKindSurvivesARoundTrip() throws Exception {
        Destination d = new Destination(SipTransport.UDP, new Peer("trunk.example.net", 5060), Optional.empty(),
                Lookup.NAPTR);
        assertEquals(d, json.readValue(json.writeValueAsString(d), Destination.class));
    }

    @Test
    void aDestinationWrittenBeforeLookupsExistedMeantAnAddressLookup() throws Exception {
        Destination d = json.readValue("{\"transport\":\"TCP\",\"peer\":{\"host\":\"gw.example.net\",\"port\":5070},"
                + "\"flow\":null}", Destination.class);
        assertEquals(new Destination(SipTransport.TCP, new Peer("gw.example.net", 5070), Optional.empty(),
                Lookup.ADDRESS), d);
    }
}
