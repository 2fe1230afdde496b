package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.admin.cli.ClientTls;

/**
 * The management port over HTTPS with client certificates (switchboard.management.tls, client-auth "want"), as an
 * operator reaches it: probes without a certificate, the admin API with the token or with a certificate from the
 * operators' CA in its place, never with one from another CA, and the CLI with --cacert, --cert and --key adding a
 * subscriber who then registers at once.
 */
class ManagementTlsTest {
    private static final Path CERTS = TestFiles.workDir("management-tls-certs");
    private static final TestCertificates OPS = TestCertificates.authority(CERTS.resolve("ops"), "Switchboard Ops CA");
    private static final TestCertificates.NodeFiles SERVER = OPS.issueLeaf("management", "switchboard-management",
            List.of("IP:127.0.0.1"));
    private static final TestCertificates.NodeFiles OPERATOR = OPS.issueLeaf("operator", "operator-1",
            List.of("DNS:operator-1"));
    private static final TestCertificates.NodeFiles ROGUE = TestCertificates.authority(CERTS.resolve("rogue"), "Rogue CA")
            .issueLeaf("rogue", "operator-1", List.of("DNS:operator-1"));

    @RegisterExtension
    static final SingleNode node = SingleNode.of("management-tls", List.of(), List.of(
            "switchboard.management.tls { enabled = on, certificate = \"" + SERVER.certificate() + "\", private-key = \""
                    + SERVER.privateKey() + "\", client-ca = \"" + SERVER.ca() + "\", client-auth = want }"));

    private static String base() throws IOException {
        return Files.readString(node.work().resolve("data/management-url")).strip();
    }

    private static HttpClient client(Optional<TestCertificates.NodeFiles> clientCertificate) {
        SSLContext tls = new ClientTls(Optional.of(SERVER.ca()), clientCertificate.map(TestCertificates.NodeFiles::certificate),
                clientCertificate.map(TestCertificates.NodeFiles::privateKey)).context().orElseThrow();
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static int status(HttpClient client, String url, Optional<String> token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void probesNeedNoCertificateTheApiTakesTheTokenOrACertificateOfTheOperatorsCaOnly() throws Exception {
        String base = base();
        assertTrue(base.startsWith("https://127.0.0.1:"), "the CLI finds the https address in data/: " + base);
        String token = Files.readString(node.work().resolve("data/admin-token")).strip();
        HttpClient anonymous = client(Optional.empty());
        assertEquals(200, status(anonymous, base + "/ready", Optional.empty()), "a readiness probe without a certificate");
        assertEquals(401, status(anonymous, base + "/admin/v1/cluster", Optional.empty()));
        assertEquals(200, status(anonymous, base + "/admin/v1/cluster", Optional.of(token)));
        assertEquals(200, status(client(Optional.of(OPERATOR)), base + "/admin/v1/cluster", Optional.empty()),
                "the operator's certificate stands in for the token");
        // a certificate of the same name from another CA: the JDK's client does not even offer it (the node names its
        // one CA in the handshake), so no certificate and no token: refused
        assertEquals(401, status(client(Optional.of(ROGUE)), base + "/admin/v1/cluster", Optional.empty()));
        // curl offers whatever it is given: the node ends the handshake on the rogue one, and admits the operator's
        assertEquals("200", curl(base + "/admin/v1/cluster", OPERATOR).strip());
        String rogue = curl(base + "/admin/v1/cluster", ROGUE);
        assertTrue(rogue.startsWith("curl exit "), "no HTTP answer to a rogue CA's certificate: " + rogue);
        // nor is the port spoken to in plain HTTP
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String http = base.replace("https://", "http://");
        assertThrows(IOException.class, () -> status(plain, http + "/admin/v1/cluster", Optional.of(token)));
    }

    @Test
    void theCliWithTheOperatorsCertificateAddsASubscriberWhoRegistersAtOnce() {
        String[] tls = {"--cacert", SERVER.ca().toString(), "--cert", OPERATOR.certificate().toString(),
            "--key", OPERATOR.privateKey().toString()};
        // no token anywhere: the CLI runs from a directory with only the node's management-url (as on another host)
        Path elsewhere = TestFiles.workDir("management-tls-operator");
        createDirectories(elsewhere.resolve("data"));
        TestFiles.write(elsewhere.resolve("data/management-url"), List.of(readUrl()));
        AdminCliRun added = AdminCliRun.of(elsewhere, concat(tls, "subscriber", "add", "tls-zoe@sip.test", "--password", "zoepw"));
        assertEquals(0, added.exit(), added.err());
        AdminApiTest.register(node, "tls-zoe", "zoepw", 200);

        AdminCliRun untrusted = AdminCliRun.of(elsewhere, "--cert", OPERATOR.certificate().toString(), "--key", OPERATOR.privateKey().toString(),
                "subscriber", "show", "tls-zoe@sip.test");
        assertEquals(1, untrusted.exit(), "without --cacert the node's certificate is not trusted: " + untrusted.out());
        assertTrue(untrusted.err().contains("TLS"), untrusted.err());
        AdminCliRun noCredentials = AdminCliRun.of(elsewhere, "--cacert", SERVER.ca().toString(), "subscriber", "show", "tls-zoe@sip.test");
        assertEquals(2, noCredentials.exit(), "neither a token nor a certificate: usage " + noCredentials.err());
    }

    /** The HTTP status curl got with the client certificate {@code as}, or "curl exit N: stderr" when it got none. */
    private static String curl(String url, TestCertificates.NodeFiles as) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20",
                "--cacert", SERVER.ca().toString(), "--cert", as.certificate().toString(), "--key", as.privateKey().toString(),
                url).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "curl finishes");
        return p.exitValue() == 0 ? out : "curl exit " + p.exitValue() + ": " + err;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readUrl() {
        try {
            return base();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
