package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad command lines: exit 2, picocli's message and usage on stderr, and no request reaches the node. */
class UsageTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeNode node = FakeNode.started();

    private void assertUsageError(String expected, String... args) {
        Cli.Result r = Cli.at(node, dir, args);
        assertEquals(2, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains(expected), "stderr lacks '" + expected + "': " + r.err());
        // picocli prints the usage, or for a misspelt command or option its suggestions instead
        assertTrue(r.err().contains("Usage: switchboard-admin") || r.err().contains("Did you mean")
                || r.err().contains("Possible solutions"), r.err());
        assertEquals(0, node.requests().size(), node.requests().toString());
    }

    @Test
    void noCommand() {
        assertUsageError("a command is required");
    }

    @Test
    void anUnknownCommandOrOption() {
        assertUsageError("Unmatched arguments from index 4: 'subscribers'", "subscribers", "show", "alice@example.com");
        assertUsageError("Unknown option: '--colour'", "calls", "--colour");
    }

    @Test
    void aSubscriberCommandIsRequired() {
        assertUsageError("a subscriber command is required", "subscriber");
    }

    @Test
    void missingPositionalParameters() {
        assertUsageError("Missing required parameter: 'AOR'", "subscriber", "show");
        assertUsageError("Missing required parameter: 'CALL-ID'", "hangup");
        assertUsageError("Missing required parameter: 'FILE'", "subscriber", "import");
    }

    @Test
    void addNeedsExactlyOneKindOfSecret() {
        assertUsageError("Missing required argument", "subscriber", "add", "alice@example.com");
        assertUsageError("mutually exclusive", "subscriber", "add", "alice@example.com", "--password", "pw", "--ha1", "abc");
        assertUsageError("mutually exclusive", "subscriber", "add", "alice@example.com", "--password", "pw",
                "--password-file", "f");
        assertUsageError("Missing required argument", "subscriber", "add", "alice@example.com", "--ha1-sha256", "abc");
    }

    @Test
    void passwdNeedsAPassword() {
        assertUsageError("Missing required argument", "subscriber", "passwd", "alice@example.com");
    }

    @Test
    void noAnswerForwardingNeedsItsDelay() {
        assertUsageError("Missing required argument", "subscriber", "forward", "alice@example.com", "--no-answer",
                "sip:vm@example.com");
    }

    @Test
    void aCountIsNotANumber() {
        assertUsageError("Invalid value for option '--max-concurrent'", "subscriber", "limits", "alice@example.com",
                "--max-concurrent", "lots");
    }

    @Test
    void countGoesWithWatch() {
        assertUsageError("--count N (N >= 1) goes with --watch", "calls", "--count", "2");
        assertUsageError("--count N (N >= 1) goes with --watch", "calls", "--watch", "--count", "0");
    }

    @Test
    void removeNeedsTheAor() {
        assertUsageError("--remove needs the AOR", "registrations", "--remove");
    }

    @Test
    void helpAndVersionAreNotErrors() {
        Cli.Result help = Cli.run(Map.of(), dir, "", "--help");
        assertEquals(0, help.code(), help.toString());
        for (String command : new String[] {"subscriber", "registrations", "calls", "call", "hangup", "cluster"}) {
            assertTrue(help.out().contains("  " + command + " "), command + " missing from: " + help.out());
        }
        assertTrue(help.out().contains("--token-file"), help.out());

        Cli.Result subHelp = Cli.run(Map.of(), dir, "", "subscriber", "add", "--help");
        assertEquals(0, subHelp.code(), subHelp.toString());
        assertTrue(subHelp.out().contains("--ha1-sha256=HEX"), subHelp.out());

        Cli.Result version = Cli.run(Map.of(), dir, "", "--version");
        assertEquals(0, version.code(), version.toString());
        assertTrue(version.out().startsWith("switchboard-admin 0.1.0"), version.out());
    }
}
