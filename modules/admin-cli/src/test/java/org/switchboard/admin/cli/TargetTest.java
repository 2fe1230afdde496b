package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the CLI finds its node and token: --url/--token beat SWITCHBOARD_URL/SWITCHBOARD_TOKEN, which beat the
 * files a node writes into its data directory; with none of them and a node started with the defaults, no flag
 * is needed. Each case is checked on the request that arrives at a real server.
 */
class TargetTest {
    private static final String COUNTS = "{\"subscribers\":3,\"registered\":2,\"bindings\":4}";

    @TempDir
    Path dir;

    private FakeNode flagNode;
    private FakeNode envNode;
    private FakeNode fileNode;

    @BeforeEach
    void startNodes() throws IOException {
        flagNode = new FakeNode().answer("GET", "/admin/v1/registrations", 200, COUNTS);
        envNode = new FakeNode().answer("GET", "/admin/v1/registrations", 200, COUNTS);
        fileNode = new FakeNode().answer("GET", "/admin/v1/registrations", 200, COUNTS);
    }

    @AfterEach
    void stopNodes() {
        flagNode.close();
        envNode.close();
        fileNode.close();
    }

    private void writeDataFiles(Path data, String url, String token) throws IOException {
        Files.createDirectories(data);
        Files.writeString(data.resolve("management-url"), url + "\n");
        Files.writeString(data.resolve("admin-token"), token + "\n");
    }

    @Test
    void withNoFlagsTheNodesOwnDataFilesAreUsed() throws IOException {
        writeDataFiles(dir.resolve("data"), fileNode.url(), "file-token-1");
        Cli.Result r = Cli.run(Map.of(), dir, "", "registrations");
        assertEquals(0, r.code(), r.toString());
        assertEquals("Bearer file-token-1", fileNode.onlyRequest().authorization().orElseThrow());
        assertTrue(r.out().contains("subscribers:"), r.out());
    }

    @Test
    void theEnvironmentBeatsTheDataFiles() throws IOException {
        writeDataFiles(dir.resolve("data"), fileNode.url(), "file-token-1");
        Cli.Result r = Cli.run(Map.of("SWITCHBOARD_URL", envNode.url(), "SWITCHBOARD_TOKEN", "env-token-2"), dir, "",
                "registrations");
        assertEquals(0, r.code(), r.toString());
        assertEquals("Bearer env-token-2", envNode.onlyRequest().authorization().orElseThrow());
        assertEquals(0, fileNode.requests().size());
    }

    @Test
    void flagsBeatTheEnvironment() throws IOException {
        writeDataFiles(dir.resolve("data"), fileNode.url(), "file-token-1");
        Cli.Result r = Cli.run(Map.of("SWITCHBOARD_URL", envNode.url(), "SWITCHBOARD_TOKEN", "env-token-2"), dir, "",
                "--url", flagNode.url(), "--token", "flag-token-3", "registrations");
        assertEquals(0, r.code(), r.toString());
        assertEquals("Bearer flag-token-3", flagNode.onlyRequest().authorization().orElseThrow());
        assertEquals(0, envNode.requests().size() + fileNode.requests().size());
    }

    @Test
    void aTokenFileBeatsTheEnvironmentAndUrlAndTokenAreFoundEachOnItsOwn() throws IOException {
        writeDataFiles(dir.resolve("data"), fileNode.url(), "file-token-1");
        Files.writeString(dir.resolve("my-token"), "tokenfile-token-4\n");
        Cli.Result r = Cli.run(Map.of("SWITCHBOARD_TOKEN", "env-token-2"), dir, "", "--token-file", "my-token", "registrations");
        assertEquals(0, r.code(), r.toString());
        // the URL still from ./data, the token from the flag's file
        assertEquals("Bearer tokenfile-token-4", fileNode.onlyRequest().authorization().orElseThrow());
    }

    @Test
    void dataPointsAtAnotherDataDirectoryAndGlobalOptionsMayFollowTheCommand() throws IOException {
        writeDataFiles(dir.resolve("node1/data"), fileNode.url(), "file-token-5");
        Cli.Result r = Cli.run(Map.of(), dir, "", "registrations", "--data", "node1/data");
        assertEquals(0, r.code(), r.toString());
        assertEquals("Bearer file-token-5", fileNode.onlyRequest().authorization().orElseThrow());
    }

    @Test
    void withoutAnyTokenItIsAUsageErrorThatSaysWhereItLooked() {
        Cli.Result r = Cli.run(Map.of(), dir, "", "--url", flagNode.url(), "registrations");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("switchboard-admin: no admin token"), r.err());
        assertTrue(r.err().contains("./data/admin-token") && r.err().contains("SWITCHBOARD_TOKEN"), r.err());
        assertEquals(0, flagNode.requests().size());
    }

    @Test
    void tokenAndTokenFileTogetherAreAUsageError() throws IOException {
        Files.writeString(dir.resolve("t"), "x\n");
        Cli.Result r = Cli.run(Map.of(), dir, "", "--url", flagNode.url(), "--token", "a-token-6", "--token-file", "t",
                "registrations");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("not both"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());
    }

    @Test
    void aMissingTokenFileIsAUsageError() {
        Cli.Result r = Cli.run(Map.of(), dir, "", "--url", flagNode.url(), "--token-file", "nope", "registrations");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--token-file nope"), r.err());
    }

    @Test
    void aUrlThatIsNotHttpIsAUsageError() {
        Cli.Result r = Cli.run(Map.of(), dir, "", "--url", "127.0.0.1:8558", "--token", Cli.TOKEN, "registrations");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("'127.0.0.1:8558' from --url"), r.err());
    }

    @Test
    void aNodeThatCannotBeReachedIsExit1NamingTheUrlAndWhereItCameFrom() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        writeDataFiles(dir.resolve("data"), url, Cli.TOKEN);
        Cli.Result fromFile = Cli.run(Map.of(), dir, "", "cluster");
        assertEquals(1, fromFile.code(), fromFile.toString());
        assertEquals("switchboard-admin: cannot reach the node at " + url + " (from ./data/management-url): connection refused"
                + " (is the node running, and is that its management port?)\n", fromFile.err());

        Cli.Result fromEnv = Cli.run(Map.of("SWITCHBOARD_URL", url), dir, "", "cluster");
        assertEquals(1, fromEnv.code(), fromEnv.toString());
        assertTrue(fromEnv.err().contains("(from SWITCHBOARD_URL)"), fromEnv.err());

        Cli.Result fromFlag = Cli.run(Map.of(), dir, "", "--url", url, "cluster");
        assertTrue(fromFlag.err().contains("(from --url)"), fromFlag.err());
    }

    @Test
    void withoutAManagementUrlFileTheDefaultPortIsTriedAndSaidSo() {
        // a token from the environment, no ./data at all: the default address; whether a node happens to listen
        // there on this machine varies, so only the source is checked, through the resolver itself
        Target target = TargetResolver.resolve(new TargetResolver.Flags(Optional.empty(), Optional.empty(),
                Optional.empty(), Path.of("data")), Map.of("SWITCHBOARD_TOKEN", "env-token-7"), dir);
        assertEquals("http://127.0.0.1:8558", target.url().toString());
        assertEquals("the default; no ./data/management-url", target.urlSource());
        assertEquals("SWITCHBOARD_TOKEN", target.tokenSource());
        assertTrue(!target.toString().contains("env-token-7"), target.toString());
    }
}
