package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for a test cluster, made with the {@code openssl} command as
 * deploy/README.md tells operators to: an RSA CA, and per node an RSA key with a certificate it issued carrying
 * the cluster's common subject name (CN=switchboard-cluster, which Akka's TLS checks on every peer).
 */
final class TestCertificates {
    static final String CLUSTER_NAME = "switchboard-cluster";
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA in {@code dir} (ca.key, ca.crt), valid for two days. */
    static TestCertificates authority(Path dir, String name) {
        TestCertificates ca = new TestCertificates(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", "ca.key", "-out", "ca.crt",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    /** The PEM files of one node. */
    record NodeFiles(Path certificate, Path privateKey, Path ca) {
        /** The node's configuration lines: remoting over TLS with these files. */
        List<String> config() {
            return List.of("switchboard.security.cluster-tls { enabled = on, certificate = \"" + certificate
                    + "\", private-key = \"" + privateKey + "\", ca = \"" + ca + "\" }");
        }
    }

    /** A key and a certificate issued by this CA for the node {@code name} at {@code host}. */
    NodeFiles issue(String name, String host) {
        write(name + ".ext", List.of(
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage=serverAuth,clientAuth",
                "subjectAltName=DNS:" + CLUSTER_NAME + ",IP:" + host));
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + CLUSTER_NAME,
                "-keyout", name + ".key", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
        return new NodeFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve("ca.crt"));
    }

    /**
     * A key and a server/client certificate issued by this CA with the given subject alternative names (e.g.
     * {@code DNS:sip.test}, {@code IP:127.0.0.1}), for SIP over TLS; the key is unencrypted PKCS#8 PEM.
     */
    NodeFiles issueLeaf(String name, String commonName, List<String> subjectAltNames) {
        write(name + ".ext", List.of(
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage=serverAuth,clientAuth",
                "subjectAltName=" + String.join(",", subjectAltNames)));
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
                "-keyout", name + ".key", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
        return new NodeFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve("ca.crt"));
    }

    private void write(String file, List<String> lines) {
        TestFiles.write(dir.resolve(file), lines);
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("openssl is needed for the cluster's test certificates", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
