package org.switchboard.admin.cli;

import java.net.URI;
import java.util.Optional;

/**
 * The node to talk to and the token to show it, each with where it was found (a flag, an environment variable,
 * a file), so an error can tell the user which setting to fix; and the TLS files for an HTTPS management port. No
 * token only when a client certificate stands in for it.
 */
record Target(URI url, String urlSource, Optional<String> token, String tokenSource, ClientTls tls) {

    /** Never the token itself: a record's own toString would print it into any message or log. */
    @Override
    public String toString() {
        return "Target[" + url + " (" + urlSource + "), token from " + tokenSource + "]";
    }
}
