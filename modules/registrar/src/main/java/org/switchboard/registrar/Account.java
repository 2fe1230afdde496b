package org.switchboard.registrar;

import org.switchboard.transport.api.ClusterSerializable;

/** A subscriber's credentials: HA1 digests for the realm, never the password. */
public record Account(String username, String realm, String ha1Md5, String ha1Sha256) implements ClusterSerializable {
}
