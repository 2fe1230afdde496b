package org.switchboard.registrar;

import org.switchboard.transport.api.ClusterSerializable;

/** A subscriber's credentials: HA1 digests for the realm, never the password; disabled accounts cannot register. */
public record Account(String username, String realm, String ha1Md5, String ha1Sha256, boolean enabled)
        implements ClusterSerializable {

    public Account withEnabled(boolean value) {
        return new Account(username, realm, ha1Md5, ha1Sha256, value);
    }

    public boolean sameCredentials(Account other) {
        return username.equals(other.username) && realm.equals(other.realm) && ha1Md5.equals(other.ha1Md5)
                && ha1Sha256.equals(other.ha1Sha256);
    }
}
