package org.switchboard.node.admin;

import org.switchboard.sip.SipUri;

/** Addresses-of-record as operators type them ({@code alice@example.com}, {@code sip:alice@example.com}). */
final class Aors {
    private Aors() {
    }

    /** The Registration entity's id: {@code sip:user@host}, the host in lower case. */
    static String normalised(String typed) {
        String uri = typed.startsWith("sip:") || typed.startsWith("sips:") ? typed : "sip:" + typed;
        SipUri parsed;
        try {
            parsed = SipUri.parse(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an address-of-record: " + typed);
        }
        if (parsed.user().isEmpty()) {
            throw new IllegalArgumentException("an address-of-record names a user: user@domain, not " + typed);
        }
        return parsed.addressOfRecord();
    }

    /** The user and host of an AOR. */
    static String[] userAndHost(String typed) {
        String aor = normalised(typed);
        int colon = aor.indexOf(':');
        int at = aor.lastIndexOf('@');
        return new String[] {aor.substring(colon + 1, at), aor.substring(at + 1)};
    }

    /** As shown to operators: without the scheme. */
    static String shown(String aor) {
        return aor.startsWith("sip:") ? aor.substring(4) : aor;
    }
}
