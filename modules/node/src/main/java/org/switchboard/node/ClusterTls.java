package org.switchboard.node;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import akka.pki.pem.DERPrivateKeyLoader;
import akka.pki.pem.PEMDecoder;

/**
 * Akka remoting over TLS with mutual authentication (switchboard.security.cluster-tls): the PEM files checked at
 * start, so that a wrong file ends start-up with one line instead of every handshake failing later, and the
 * settings of Akka's RotatingKeysSSLEngineProvider (switchboard-akka.conf names the provider).
 */
final class ClusterTls {
    static final String KEY = "switchboard.security.cluster-tls";
    private static final String ENGINE = "akka.remote.artery.ssl.rotating-keys-engine.";

    private ClusterTls() {
    }

    /** Akka settings for remoting over TLS with the configured files, once they are found usable. */
    static Config remoting(Config tls) throws StartupException {
        Path certificate = file(tls, "certificate");
        Path privateKey = file(tls, "private-key");
        Path ca = file(tls, "ca");
        check(certificate, privateKey, ca);
        return ConfigFactory.parseMap(Map.of(
                "akka.remote.artery.transport", "tls-tcp",
                ENGINE + "cert-file", certificate.toString(),
                ENGINE + "key-file", privateKey.toString(),
                ENGINE + "ca-cert-file", ca.toString()));
    }

    /** Plain TCP: a node alone on loopback, or a lab that opted out. */
    static Config plaintext() {
        return ConfigFactory.parseMap(Map.of("akka.remote.artery.transport", "tcp"));
    }

    private static Path file(Config tls, String name) throws StartupException {
        return pemFile(tls, KEY, name);
    }

    /** The PEM file {@code name} of the TLS settings at {@code key} (which are on): named, and readable now. */
    static Path pemFile(Config tls, String key, String name) throws StartupException {
        String value = tls.getString(name);
        if (value.isEmpty()) {
            throw new StartupException(2, key + "." + name + " must name a PEM file when " + key + ".enabled is on");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isReadable(path)) {
            throw new StartupException(2, key + "." + name + ": cannot read " + path);
        }
        return path;
    }

    /** What Akka needs: a valid certificate issued by the CA, and its RSA private key in a form akka-pki reads. */
    private static void check(Path certificate, Path privateKey, Path ca) throws StartupException {
        X509Certificate own = certificate(certificate, "certificate");
        X509Certificate authority = certificate(ca, "ca");
        try {
            own.checkValidity();
        } catch (GeneralSecurityException e) {
            throw new StartupException(2, KEY + ".certificate " + certificate + " is not valid now: " + e.getMessage());
        }
        try {
            own.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new StartupException(2, KEY + ".certificate " + certificate + " was not issued by " + KEY + ".ca " + ca);
        }
        PrivateKey key;
        try {
            key = DERPrivateKeyLoader.load(PEMDecoder.decode(Files.readString(privateKey, StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            throw new StartupException(2, KEY + ".private-key " + privateKey
                    + " is not an RSA key in PKCS#1 or unencrypted PKCS#8 PEM");
        }
        BigInteger modulus = key instanceof RSAPrivateKey rsa ? rsa.getModulus() : BigInteger.ZERO;
        if (!(own.getPublicKey() instanceof RSAPublicKey pub) || !pub.getModulus().equals(modulus)) {
            throw new StartupException(2, KEY + ".private-key " + privateKey + " is not the RSA key of " + certificate);
        }
    }

    private static X509Certificate certificate(Path path, String name) throws StartupException {
        try (InputStream in = Files.newInputStream(path)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new StartupException(2, KEY + "." + name + " " + path + " is not a PEM certificate");
        }
    }
}
