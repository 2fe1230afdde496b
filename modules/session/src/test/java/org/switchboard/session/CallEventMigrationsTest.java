package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Events journalled by earlier versions read as today's (Akka Jackson migrations). */
class CallEventMigrationsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aVersion1DialogWithoutTheProxyAddressGetsAnEmptyOne() throws Exception {
        JsonNode v1 = json.readTree("{\"dialog\":{\"callId\":\"c1\",\"from\":\"<sip:a@x>;tag=1\"},\"atMillis\":5}");
        JsonNode v2 = new CallEventMigrations.DialogProxyAddress().transform(1, v1);
        assertEquals("", v2.get("dialog").get("proxy").get("host").asText());
        assertEquals(0, v2.get("dialog").get("proxy").get("port").asInt());
        assertEquals(5, v2.get("atMillis").asInt(), "the rest is kept");
    }

    @Test
    void aVersion2DialogIsLeftAsItIs() throws Exception {
        JsonNode v2 = json.readTree("{\"dialog\":{\"proxy\":{\"host\":\"127.0.0.1\",\"port\":5060}}}");
        assertEquals("127.0.0.1", new CallEventMigrations.DialogProxyAddress().transform(2, v2.deepCopy())
                .get("dialog").get("proxy").get("host").asText());
    }

    @Test
    void aVersion1HandOverReadsAsEmpty() throws Exception {
        JsonNode v1 = json.readTree("{\"invites\":[{\"envelope\":{},\"routed\":true,\"forks\":[]}],\"atMillis\":7}");
        JsonNode v2 = new CallEventMigrations.HandOverShape().transform(1, v1);
        assertEquals(0, v2.get("invites").size());
        assertEquals(7, v2.get("atMillis").asInt());
    }
}
