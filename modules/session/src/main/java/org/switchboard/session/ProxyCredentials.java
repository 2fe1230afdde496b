package org.switchboard.session;

import java.util.List;

import org.switchboard.sip.HeaderName;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.auth.DigestCredentials;

/**
 * RFC 3261 §22.3 and §20.28: a proxy that checked credentials for its own realm consumes them; credentials for
 * other realms travel on to the proxies they are meant for. Our callers' digests never reach the callee.
 */
final class ProxyCredentials {
    private ProxyCredentials() {
    }

    /** Removes from {@code edit} every Proxy-Authorization for a realm we serve (and any we cannot read). */
    static void consume(SipRequest request, MessageEditor edit, SessionSettings settings) {
        List<String> credentials = request.headers(HeaderName.PROXY_AUTHORIZATION);
        if (credentials.isEmpty()) {
            return;
        }
        List<String> theirs = credentials.stream().filter(c -> !forUs(c, settings)).toList();
        if (theirs.size() == credentials.size()) {
            return;
        }
        edit.remove(HeaderName.PROXY_AUTHORIZATION);
        theirs.forEach(c -> edit.append(HeaderName.PROXY_AUTHORIZATION, c));
    }

    private static boolean forUs(String credentials, SessionSettings settings) {
        try {
            return settings.serves(DigestCredentials.parse(credentials).realm());
        } catch (SipParseException e) {
            return true; // nobody downstream can use what we cannot read
        }
    }
}
