package org.switchboard.node.admin;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** One answer of the admin API: a status and a JSON or CSV body (none for 204). */
record Reply(int status, String contentType, byte[] body) {
    static final String JSON = "application/json";
    static final String CSV = "text/csv";

    static Reply json(int status, JsonNode body) {
        return new Reply(status, JSON, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Reply ok(JsonNode body) {
        return json(200, body);
    }

    static Reply csv(String text) {
        return new Reply(200, CSV, text.getBytes(StandardCharsets.UTF_8));
    }

    static Reply noContent() {
        return new Reply(204, JSON, new byte[0]);
    }

    static Reply error(int status, String message) {
        return json(status, JsonNodeFactory.instance.objectNode().put("error", message));
    }
}
