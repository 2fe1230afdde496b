package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import akka.pki.pem.DERPrivateKeyLoader;
import akka.pki.pem.PEMDecoder;

/**
 * A closed cluster: nodes talk over mutual TLS, so a node whose certificate comes from another CA never becomes a
 * member, however it is configured otherwise; a cluster node without TLS refuses to start; and the management
 * port changes nothing (no join, leave or down over HTTP).
 */
class ClusterTlsTest {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Pattern UP = Pattern.compile("\"status\"\\s*:\\s*\"Up\"");

    private static TestCluster cluster;
    private static TestCluster.Member core;
    private static TestCluster.Member transport;

    /** One core node (the seed) and one transport node, each with a certificate from the cluster's CA. */
    @BeforeAll
    static void startCluster() {
        Path work = TestFiles.workDir("cluster-tls");
        cluster = TestCluster.withPostgres(work, 1);
        cluster.startCores(1, List.of(), READY);
        core = cluster.member("core-1");
        transport = cluster.add("transport-1", "transport", "127.0.0.31", List.of());
        transport.process.awaitReady(READY);
        Await.until("both nodes Up", Duration.ofSeconds(30), () -> upMembers(core) == 2, cluster::tails);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theNodesTalkOverTlsAndANodeFromAnotherCaNeverJoins() {
        assertTrue(core.process.output().contains("Remoting started with transport [Artery tls-tcp]"), core.process.tail());
        assertTrue(transport.process.output().contains("Remoting started with transport [Artery tls-tcp]"), transport.process.tail());

        // the same secret and seed node, but a certificate from another CA
        Path work = TestFiles.workDir("cluster-tls-outsider");
        TestCertificates other = TestCertificates.authority(work.resolve("other-ca"), "another CA");
        List<String> outsiderConfig = new ArrayList<>(other.issue("outsider", "127.0.0.32").config());
        outsiderConfig.add("switchboard.cluster.join-timeout = 15s");
        TestCluster.Member outsider = cluster.add("outsider", "transport", "127.0.0.32", outsiderConfig);
        // never a member, not even for a moment, while it tries
        Await.until("the outsider to give up", Duration.ofSeconds(90), () -> {
            TestCluster.HttpResult members = TestCluster.get(core, "/cluster/members");
            assertEquals(200, members.status(), members.body());
            assertFalse(members.body().contains("127.0.0.32"), "the outsider is no member: " + members.body());
            return !outsider.process.alive();
        }, outsider.process::tail);
        assertNotEquals(0, outsider.process.awaitExit(Duration.ofSeconds(5)), outsider.process.tail());
        assertTrue(outsider.process.output().contains("did not join a cluster within 15 s"), outsider.process.tail());
        assertTrue(outsider.process.output().contains("SSLHandshakeException"), "refused by TLS: " + outsider.process.tail());
        assertEquals(2, upMembers(core), TestCluster.get(core, "/cluster/members").body());
        assertTrue(transport.process.alive());
    }

    /** What an attacker with the cluster's (public) CA certificate but no certificate from it gets: no session. */
    @Test
    void theRemotingPortRefusesATlsClientWithoutACertificateFromTheCa() throws Exception {
        Path work = TestFiles.workDir("cluster-tls-probe");
        TestCertificates.NodeFiles insider = cluster.certificates().issue("probe", "127.0.0.35");
        TestCertificates.NodeFiles stranger = TestCertificates.authority(work.resolve("foreign-ca"), "foreign CA")
                .issue("stranger", "127.0.0.35");
        assertEquals(Optional.empty(), handshake(core, insider, insider.ca()), "a certificate from the CA completes the handshake");
        Optional<Exception> refused = handshake(core, stranger, insider.ca());
        // the node aborts the handshake: the client sees the alert (SSLException) or, when the close overtakes its
        // own certificate flight, a reset or broken pipe (SocketException); either way no session
        assertTrue(refused.isPresent() && (refused.get() instanceof SSLException || refused.get() instanceof SocketException),
                "handshake refused: " + refused);
        assertEquals(2, upMembers(core));
    }

    @Test
    void theManagementPortRefusesEveryChange() {
        String address = "akka://switchboard@127.0.0.31:" + transport.clusterPort;
        assertRefused(TestCluster.request(core, "DELETE", "/cluster/members/" + address, ""));
        assertRefused(TestCluster.request(core, "PUT", "/cluster/members/" + address, "operation=Down"));
        assertRefused(TestCluster.request(core, "PUT", "/cluster/members/" + address, "operation=Leave"));
        assertRefused(TestCluster.request(core, "POST", "/cluster/members", "address=akka://switchboard@127.0.0.34:25520"));
        assertRefused(TestCluster.request(core, "PUT", "/cluster/shards/Registration", "operation=Prepare-for-full-cluster-shutdown"));

        assertEquals(2, upMembers(core), TestCluster.get(core, "/cluster/members").body());
        assertEquals(200, TestCluster.get(transport, "/ready").status(), "the transport node still serves");
    }

    @Test
    void aClusterNodeWithoutTlsExitsWithTwo() {
        Path work = TestFiles.workDir("cluster-plaintext");
        Path conf = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.cluster-secret = \"a-secret-long-enough-for-the-check\"",
                "switchboard.cluster.seed-nodes = [\"akka://switchboard@127.0.0.1:" + FreePorts.udpAndTcp() + "\"]"));
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString(), "--config", conf.toString())) {
            assertEquals(2, node.awaitExit(EXIT));
            ClusterSecretTest.assertOneLineNaming(node, "switchboard.security.cluster-tls.enabled must be on");
        }
    }

    @Test
    void aCertificateFromAnotherCaThanTheConfiguredOneExitsWithTwo() {
        Path work = TestFiles.workDir("cluster-tls-mismatch");
        TestCertificates.NodeFiles node = TestCertificates.authority(work.resolve("ca-1"), "one CA").issue("node", "127.0.0.1");
        TestCertificates.NodeFiles stranger = TestCertificates.authority(work.resolve("ca-2"), "another CA").issue("node", "127.0.0.1");
        Path conf = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.security.cluster-tls { enabled = on, certificate = \"" + node.certificate() + "\", private-key = \""
                        + node.privateKey() + "\", ca = \"" + stranger.ca() + "\" }"));
        try (NodeProcess process = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString(), "--config", conf.toString())) {
            assertEquals(2, process.awaitExit(EXIT));
            ClusterSecretTest.assertOneLineNaming(process, "was not issued by switchboard.security.cluster-tls.ca");
        }
    }

    /** A TLS 1.2 handshake with a node's remoting port, presenting {@code client}'s certificate and trusting {@code ca}. */
    private static Optional<Exception> handshake(TestCluster.Member node, TestCertificates.NodeFiles client, Path ca)
            throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, password);
        PrivateKey key = DERPrivateKeyLoader.load(PEMDecoder.decode(Files.readString(client.privateKey())));
        keys.setKeyEntry("node", key, password, new Certificate[] {certificate(client.certificate())});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, password);
        trusted.setCertificateEntry("ca", certificate(ca));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(node.host, node.clusterPort), 5_000);
            socket.setSoTimeout(10_000);
            socket.startHandshake(); // TLS 1.2: returns once the node's Finished arrived, i.e. it accepted us
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e);
        }
    }

    private static Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void assertRefused(TestCluster.HttpResult result) {
        assertTrue(result.status() >= 400 && result.status() < 500, "refused with a 4xx: " + result);
    }

    private static int upMembers(TestCluster.Member m) {
        return (int) UP.matcher(TestCluster.get(m, "/cluster/members").body()).results().count();
    }
}
