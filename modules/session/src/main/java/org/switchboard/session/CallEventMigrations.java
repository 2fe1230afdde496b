package org.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import akka.serialization.jackson.JacksonMigration;

/**
 * How call events journalled by earlier versions are read (Akka's Jackson schema evolution, registered under
 * {@code akka.serialization.jackson.migrations} in the node's configuration). Each event carries the version it was
 * written with; these bring older ones up to today's shape before they are deserialised.
 */
public final class CallEventMigrations {
    private CallEventMigrations() {
    }

    /**
     * Version 2 of the events that carry a {@link Dialog}: the dialog has {@code proxy}, the address the caller
     * reached us at (the Via of our own BYEs). Version 1 dialogs had none: they read as an empty address.
     */
    public static final class DialogProxyAddress extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 2;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            if (fromVersion < 2 && json.get("dialog") instanceof ObjectNode dialog && !dialog.has("proxy")) {
                dialog.putObject("proxy").put("host", "").put("port", 0);
            }
            return json;
        }
    }

    /**
     * Version 2 of {@link CallEvent.RingingHandedOver}: each INVITE is the proxy core's record ({@code
     * InviteProxy}) and the forks it was sent to. Version 1 kept a flat list of flags no longer kept; such hand-overs
     * are read as empty: their INVITEs, ringing on a node of the previous version when it left, are answered by
     * their callers' retransmissions timing out, as after a crash.
     */
    public static final class HandOverShape extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 2;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            if (fromVersion < 2 && json instanceof ObjectNode event) {
                event.putArray("invites");
            }
            return json;
        }
    }
}
