package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.node.config.ConfigPrinter;
import org.switchboard.node.config.ConfigSchema;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** What a start (and --check-config) says about a configuration file it cannot use. */
class NodeConfigTest {
    @TempDir
    Path work;

    @Test
    void anUnsetVariableIsNamedEvenOnASecretsLine() throws IOException {
        Path file = Files.writeString(work.resolve("node.conf"),
                "switchboard.cluster-secret = ${SWITCHBOARD_TEST_NEVER_SET}\n");
        StartupException e = assertThrows(StartupException.class, () -> load(file));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("SWITCHBOARD_TEST_NEVER_SET"), e.getMessage());
    }

    @Test
    void aSyntaxErrorOnASecretsLineNamesThePlaceButNotTheText() throws IOException {
        Path file = Files.writeString(work.resolve("node.conf"), "switchboard.journal.password = \"hunter2\n");
        StartupException e = assertThrows(StartupException.class, () -> load(file));
        assertTrue(e.getMessage().contains(file + ": 1: "), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aSyntaxErrorElsewhereIsShownWhole() throws IOException {
        Path file = Files.writeString(work.resolve("node.conf"), "switchboard.sip.port = 5060\nswitchboard.sip.host = x }\nswitchboard.domains = []\n");
        StartupException e = assertThrows(StartupException.class, () -> load(file));
        assertTrue(e.getMessage().contains(file + ": 2: "), e.getMessage());
        assertFalse(e.getMessage().contains("not shown"), e.getMessage());
    }

    @Test
    void thePrintedTreeIsAConfigurationTheCheckAcceptsAgain() throws IOException, StartupException {
        Path file = Files.writeString(work.resolve("node.conf"), """
                switchboard {
                  proxy.routes { "pstn.example.net" = "sip:10.1.2.3:5060" }
                  journal { dialect = postgres, url = "jdbc:postgresql://db/sb", password = "hunter2" }
                }
                """);
        Config reference = ConfigFactory.defaultReference();
        ConfigSchema schema = ConfigSchema.of(reference);
        Config effective = NodeConfig.load(CommandLine.parse("--config", file.toString()));
        assertTrue(effective.hasPath("switchboard.journal.driver"), "the node derives the driver for Akka");
        String printed = ConfigPrinter.render(schema.withoutUnknownKeys(effective));
        assertFalse(printed.contains("driver") || printed.contains("effective-host"), printed);
        assertFalse(printed.contains("hunter2"), printed);
        assertEquals(List.of(), schema.problems(ConfigFactory.parseString(printed).withFallback(reference).resolve()));
    }

    /**
     * switchboard.cluster.down-all-when-unstable reaches Akka's Split Brain Resolver as Akka reads it: 4 s by default
     * (what Akka's own "on" gives for stable-after 3 s), a duration as given (deploy/local-cluster: 30 s), off as
     * never; a word that is neither is refused before Akka sees it.
     */
    @Test
    void theSplitBrainResolverDownsAllAfterTheInstabilityConfigured() throws IOException, StartupException {
        assertEquals(java.time.Duration.ofSeconds(4), downAllWhenUnstable(""));
        assertEquals(java.time.Duration.ofSeconds(30), downAllWhenUnstable("switchboard.cluster.down-all-when-unstable = 30s"));
        assertEquals(java.time.Duration.ZERO, downAllWhenUnstable("switchboard.cluster.down-all-when-unstable = off"));
        Path file = Files.writeString(work.resolve("soon.conf"), "switchboard.cluster.down-all-when-unstable = soon\n");
        StartupException e = assertThrows(StartupException.class, () -> load(file));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("switchboard.cluster.down-all-when-unstable"), e.getMessage());
    }

    private java.time.Duration downAllWhenUnstable(String line) throws IOException, StartupException {
        Path file = Files.writeString(work.resolve("sbr.conf"), line + "\n");
        Config config = NodeConfig.load(CommandLine.parse("--config", file.toString(), "--data", work.resolve("data").toString()));
        return java.time.Duration.ofMillis(new akka.cluster.sbr.SplitBrainResolverSettings(config).DownAllWhenUnstable().toMillis());
    }

    @Test
    void postgresSendsBatchedInsertsAsMultiRowStatementsUnlessTheUrlSaysOtherwise() throws IOException, StartupException {
        Path file = Files.writeString(work.resolve("pg.conf"),
                "switchboard.journal { dialect = postgres, url = \"jdbc:postgresql://db/sb\" }\n");
        Config effective = NodeConfig.load(CommandLine.parse("--config", file.toString()));
        assertEquals("jdbc:postgresql://db/sb?reWriteBatchedInserts=true", effective.getString("switchboard.journal.url"));
        assertEquals(effective.getString("switchboard.journal.url"),
                effective.getString("akka-persistence-jdbc.shared-databases.slick.db.url"), "the journal's own connections");
        assertEquals("jdbc:postgresql://db/sb?ssl=true&reWriteBatchedInserts=true",
                NodeConfig.withBatchedInserts("jdbc:postgresql://db/sb?ssl=true"));
        assertEquals("jdbc:postgresql://db/sb?reWriteBatchedInserts=false",
                NodeConfig.withBatchedInserts("jdbc:postgresql://db/sb?reWriteBatchedInserts=false"));
    }

    private void load(Path file) throws StartupException {
        NodeConfig.load(CommandLine.parse("--config", file.toString(), "--data", work.resolve("data").toString()));
    }
}
