package org.switchboard.node;

import java.time.Clock;
import java.time.Duration;

import org.switchboard.session.MediaEncryptionPolicy;
import org.switchboard.transport.TransportSettings;
import org.switchboard.transport.tls.TlsContexts;

import com.typesafe.config.Config;

/**
 * SIP over TLS ({@code switchboard.sip.tls}) checked at start: a listener that is asked for but whose files are
 * missing, unreadable or not a certificate and its key ends start-up with one line (exit 2) rather than failing
 * every handshake later.
 */
final class SipTls {
    private SipTls() {
    }

    static TransportSettings check(Config sip) throws StartupException {
        try {
            TransportSettings settings = TransportSettings.fromConfig(sip);
            TlsContexts.load(settings.tls().validate(), Duration.ZERO, Clock.systemUTC());
            return settings;
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            throw new StartupException(2, e.getMessage());
        }
    }

    /** {@code switchboard.policy.media-encryption}, an unknown value ending start-up (exit 2). */
    static MediaEncryptionPolicy.Mode mediaPolicy(Config sb) throws StartupException {
        try {
            return MediaEncryptionPolicy.Mode.fromConfig(sb.getString("policy.media-encryption"));
        } catch (IllegalArgumentException e) {
            throw new StartupException(2, e.getMessage());
        }
    }
}
