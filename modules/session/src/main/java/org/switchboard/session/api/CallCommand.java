package org.switchboard.session.api;

import org.switchboard.transport.api.ClusterSerializable;

/** What a Call entity (one per Call-ID) accepts. */
public interface CallCommand extends ClusterSerializable {
}
