package org.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An entity spawned outside the behaviour test kit is checked by the journal alone: with
 * {@link EntityTestKit#serializingJournal()} the journal serializes what it stores, and the kit stays as it was
 * otherwise (the behaviour test kit's own configuration turns that off, since it checks every event itself).
 */
class SerializingJournalTest {
    private static final String SERIALIZE = "akka.persistence.testkit.events.serialize";

    @RegisterExtension
    static final EntityTestKit serializing = EntityTestKit.realTime("serializing-journal").serializingJournal();

    @RegisterExtension
    static final EntityTestKit plain = EntityTestKit.realTime("plain-journal");

    @Test
    void theJournalSerializesWhatItStoresOnlyWhenAskedTo() {
        assertTrue(serializing.system().settings().config().getBoolean(SERIALIZE));
        assertFalse(plain.system().settings().config().getBoolean(SERIALIZE));
    }

    @Test
    void theKitKeepsTheProductionSerializerBinding() {
        assertEquals("jackson-json", serializing.system().settings().config().getString(
                "akka.actor.serialization-bindings.\"org.switchboard.transport.api.ClusterSerializable\""));
    }
}
