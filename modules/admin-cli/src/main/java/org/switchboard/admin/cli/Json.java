package org.switchboard.admin.cli;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API's JSON as trees rather than bound records: the CLI shows what the node sends, prints fields it does
 * not know yet with {@code --json}, and an absent optional field is simply not shown.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw AdminException.refused("the node's answer is not JSON: " + e.getOriginalMessage());
        }
    }

    /** The answer as it came, indented: for {@code --json}; field order is kept. */
    static String pretty(String body) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(parse(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always writes", e);
        }
    }

    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a built tree always writes", e);
        }
    }

    /** The {@code error} of an error answer, when the body is JSON and has one. */
    static Optional<String> errorText(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode error = MAPPER.readTree(body).path("error");
            return error.isTextual() && !error.asText().isBlank() ? Optional.of(error.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** A field as text, empty when absent or null. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** A field as text, or {@code -} in a table cell when absent. */
    static String cell(JsonNode node, String field) {
        return text(node, field).filter(s -> !s.isEmpty()).orElse("-");
    }
}
