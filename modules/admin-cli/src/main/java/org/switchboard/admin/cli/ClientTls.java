package org.switchboard.admin.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of reaching a management port over HTTPS: which CA to trust for the node's certificate (the JDK's
 * trust store when none is given) and, for a port with mutual TLS, the operator's client certificate and key, all
 * PEM files as openssl and cert-manager write them. Public for tools and tests that reach a node as the CLI does.
 */
public record ClientTls(Optional<Path> caCertificates, Optional<Path> certificate, Optional<Path> privateKey) {
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    static final ClientTls NONE = new ClientTls(Optional.empty(), Optional.empty(), Optional.empty());

    public ClientTls {
        if (certificate.isPresent() != privateKey.isPresent()) {
            throw AdminException.usage("a client certificate needs its key: give --cert and --key together");
        }
    }

    boolean hasClientCertificate() {
        return certificate.isPresent();
    }

    /** The context for the JDK's HttpClient; empty when nothing differs from the JDK's defaults. */
    public Optional<SSLContext> context() {
        if (caCertificates.isEmpty() && certificate.isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caCertificates.isPresent()) {
                KeyStore cas = emptyStore();
                List<? extends Certificate> certs = certificates(caCertificates.get(), "--cacert");
                for (int i = 0; i < certs.size(); i++) {
                    cas.setCertificateEntry("ca-" + i, certs.get(i));
                }
                trust.init(cas);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = null;
            if (certificate.isPresent()) {
                KeyStore own = emptyStore();
                List<? extends Certificate> chain = certificates(certificate.get(), "--cert");
                own.setKeyEntry("client", privateKey(privateKey.orElseThrow()), NO_PASSWORD, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return Optional.of(context);
        } catch (GeneralSecurityException | IOException e) {
            throw AdminException.usage("cannot set up TLS: " + e.getMessage());
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static List<? extends Certificate> certificates(Path file, String option) {
        try {
            List<? extends Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
            if (certs.isEmpty()) {
                throw AdminException.usage(option + " " + file + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException e) {
            throw AdminException.usage("cannot read " + option + " " + file + ": " + e.getClass().getSimpleName());
        } catch (GeneralSecurityException e) {
            throw AdminException.usage(option + " " + file + " is not a PEM certificate");
        }
    }

    /** An unencrypted PKCS#8 key ("BEGIN PRIVATE KEY"), RSA or EC. */
    private static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw AdminException.usage("cannot read --key " + file + ": " + e.getClass().getSimpleName());
        }
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw AdminException.usage("--key " + file + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw AdminException.usage("--key " + file + " is neither an RSA nor an EC key");
    }
}
