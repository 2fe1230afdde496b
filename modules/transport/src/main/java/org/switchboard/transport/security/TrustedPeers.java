package org.switchboard.transport.security;

import java.net.InetAddress;
import java.util.List;

/**
 * {@code switchboard.security.trusted-peers}: SBCs, trunks, load balancers and load generators that the edge
 * neither rate-limits nor bans nor caps in connections. Not the proxy's trusted peers (which are only spared the
 * 407 challenge): an address can be one without the other.
 */
public final class TrustedPeers {
    private final Cidr[] blocks;

    public TrustedPeers(List<Cidr> blocks) {
        this.blocks = blocks.toArray(Cidr[]::new);
    }

    public static TrustedPeers parse(List<String> cidrs) {
        return new TrustedPeers(cidrs.stream().map(Cidr::parse).toList());
    }

    public boolean contains(InetAddress address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(String ip) {
        for (Cidr c : blocks) {
            if (c.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
