package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.node.JournalCallRows.CallRow;
import org.switchboard.node.JournalCallRows.Row;
import org.switchboard.session.CallEvent;
import org.switchboard.session.Dialog;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The sweeper's reads against a real H2 journal with akka-persistence-jdbc's schema, rows serialized as the node's
 * journal serializes them.
 */
class JournalCallRowsTest {
    private Config config;
    private ActorSystem<Void> system;
    private Serialization serialization;
    private JournalCallRows rows;
    private long sequence;

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createTempDirectory("journal-rows");
        config = ConfigFactory.parseString("akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off")
                .withFallback(NodeConfig.load(CommandLine.parse("--data", data.toString())));
        JournalSchema.ensure(config);
        system = ActorSystem.create(Behaviors.empty(), "journal-rows", config);
        serialization = SerializationExtension.get(system);
        rows = new JournalCallRows(config.getConfig("switchboard.journal"), serialization);
    }

    @AfterEach
    void stop() {
        rows.close();
        system.terminate();
    }

    @Test
    void theDeadlineEventsOfCallsAreReadWithTheirCallIdAndNothingElseIs() throws Exception {
        try (Connection c = connect()) {
            insert(c, "Call|a@x", new CallEvent.CallAnswered(dialog(), 1_000, 91_000), false);
            insert(c, "Registration|sip:bob@sip.test", "not a call event", false);
            insert(c, "Call|b@x", new CallEvent.CallFailed(486, "Busy Here", "alice", "bob", 2_000), false);
            insert(c, "Call|a@x", new CallEvent.SessionRefreshed(dialog(), 3_000, 183_000), false);
            insert(c, "Call|c@x", new CallEvent.CallAnswered(dialog(), 4_000, 0), true);
            insert(c, "Call|a@x", new CallEvent.CallEnded("BYE 200", 5_000), false);
        }
        List<Row> read = rows.after(0, 100);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), read.stream().map(Row::ordering).toList());
        List<CallRow> calls = read.stream().flatMap(r -> r.call().stream()).toList();
        assertEquals(List.of("a@x", "a@x", "a@x"), calls.stream().map(CallRow::callId).toList(),
                "a failed call and a deleted row have no deadline to follow");
        assertEquals(new CallEvent.CallAnswered(dialog(), 1_000, 91_000), calls.get(0).event());
        assertEquals(new CallEvent.CallEnded("BYE 200", 5_000), calls.get(2).event());

        assertEquals(List.of(3L, 4L), rows.after(2, 2).stream().map(Row::ordering).toList(), "a page");
        assertEquals(List.of(2L, 6L), rows.withOrderings(List.of(2L, 6L, 99L)).stream().map(Row::ordering).toList());
    }

    @Test
    void aRowThatCommitsAfterALaterOneIsFoundWhenAskedForAgain() throws Exception {
        JournalCursor cursor = new JournalCursor(CallSweeper.GAP_TIMEOUT);
        try (Connection slow = connect(); Connection fast = connect()) {
            slow.setAutoCommit(false);
            insert(slow, "Call|late@x", new CallEvent.CallAnswered(dialog(), 1_000, 0), false);
            insert(fast, "Call|early@x", new CallEvent.CallAnswered(dialog(), 2_000, 0), false);

            List<Row> first = rows.after(cursor.highest(), 100);
            assertEquals(List.of(2L), first.stream().map(Row::ordering).toList(), "row 1 is not committed yet");
            cursor.read(first.stream().map(Row::ordering).toList(), 0);
            assertEquals(List.of(1L), cursor.missing(10));

            slow.commit();
        }
        assertEquals(List.of(), rows.after(cursor.highest(), 100), "nothing after row 2: row 1 comes only if asked");
        List<Row> found = rows.withOrderings(cursor.missing(10));
        assertEquals(Optional.of("late@x"), found.get(0).call().map(CallRow::callId));
        cursor.found(found.stream().map(Row::ordering).toList());
        assertEquals(0, cursor.missingCount());
    }

    @Test
    void aLostConnectionIsOpenedAgainOnTheNextRead() throws Exception {
        try (Connection c = connect()) {
            insert(c, "Call|a@x", new CallEvent.CallAnswered(dialog(), 1_000, 0), false);
        }
        assertEquals(1, rows.after(0, 10).size());
        rows.close();
        assertEquals(1, rows.after(0, 10).size());
    }

    private Connection connect() throws SQLException {
        Config j = config.getConfig("switchboard.journal");
        return DriverManager.getConnection(j.getString("url"), j.getString("user"), j.getString("password"));
    }

    private void insert(Connection c, String persistenceId, Object event, boolean deleted) throws SQLException {
        Serializer serializer = serialization.findSerializerFor(event);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\","
                + " \"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\","
                + " \"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, ?, 'test', 0, '', ?, ?, ?)")) {
            st.setBoolean(1, deleted);
            st.setString(2, persistenceId);
            st.setLong(3, ++sequence);
            st.setBytes(4, serializer.toBinary(event));
            st.setInt(5, serializer.identifier());
            st.setString(6, Serializers.manifestFor(serializer, event));
            st.executeUpdate();
        }
        assertTrue(sequence > 0);
    }

    private static Dialog dialog() {
        return new Dialog("c", "<sip:a@x>;tag=1", "<sip:b@x>;tag=2", "sip:a@1.2.3.4",
                Destination.udp("1.2.3.4", 5060), "sip:b@5.6.7.8", Destination.udp("5.6.7.8", 5060),
                1, 0, 0, new Peer("9.9.9.9", 5060));
    }
}
