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

    private void load(Path file) throws StartupException {
        NodeConfig.load(CommandLine.parse("--config", file.toString(), "--data", work.resolve("data").toString()));
    }
}
