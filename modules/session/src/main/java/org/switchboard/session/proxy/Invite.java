package org.switchboard.session.proxy;

/**
 * The facts of a proxied INVITE the proxy core decides on; they never change while it is proxied.
 *
 * @param requestUri    its Request-URI as received
 * @param from          its From header value (the caller, with its tag)
 * @param to            its To header value
 * @param trustedSource it came from a configured trusted peer: its caller needs no credentials
 * @param inDialog      a re-INVITE inside an answered dialog: one fork along the route set, nothing looked up
 */
public record Invite(InviteKey key, String requestUri, String from, String to, boolean trustedSource,
                     boolean inDialog) {
}
