package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as its own process, as bin/switchboard-admin runs it: main's exit status, and the password prompt,
 * which picocli reads from the process's stdin when there is no terminal.
 */
class ProcessTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeNode node = FakeNode.started();

    record Exit(int code, String out, String err) {
    }

    private Exit run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AdminCli.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not exit within 60 s");
        }
        return new Exit(process.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void aPasswordTypedAtThePromptIsSentAndMainExitsZero() throws Exception {
        node.answer("PUT", SubscriberRequestsTest.ALICE, 200, SubscriberRequestsTest.ALICE_JSON);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve("management-url"), node.url() + "\n");
        Files.writeString(dir.resolve("data").resolve("admin-token"), Cli.TOKEN + "\n");

        Exit exit = run("typed at the prompt\n", "subscriber", "add", "alice@example.com", "--password");
        assertEquals(0, exit.code(), exit.toString());
        assertTrue(exit.out().startsWith("Password: "), "the prompt: " + exit.out());
        assertEquals("{\"password\":\"typed at the prompt\"}", node.onlyRequest().body());
        assertTrue(!exit.out().contains("typed at the prompt") && !exit.out().contains(Cli.TOKEN), exit.out());
    }

    @Test
    void mainExitsTwoOnBadUsageAndOneWhenRefused() throws Exception {
        Exit usage = run("", "hangup");
        assertEquals(2, usage.code(), usage.toString());
        assertTrue(usage.err().contains("Missing required parameter: 'CALL-ID'"), usage.err());

        node.answer("DELETE", "/admin/v1/calls/gone%40h", 404, "{\"error\":\"no such call gone@h\"}");
        Exit refused = run("", "--url", node.url(), "--token-file", writeToken().toString(), "hangup", "gone@h");
        assertEquals(1, refused.code(), refused.toString());
        assertEquals("switchboard-admin: no such call gone@h (404)" + System.lineSeparator(), refused.err());
    }

    private Path writeToken() throws IOException {
        Path file = dir.resolve("token" + File.separator + "admin-token");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, Cli.TOKEN + "\n");
    }
}
