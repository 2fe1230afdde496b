package org.switchboard.transport.netty;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.FlowTokens;

import io.netty.channel.Channel;

/**
 * The live stream connections of this node, by flow token and by remote address. A flow token names one
 * connection on one node, cluster-wide unique, and the node that holds it ({@link FlowTokens}), so an entity can
 * ask for a reply on the very connection a request came on (RFC 3261 §18.2.2), and any transport node can pass
 * a message for it to the one that holds it. Connections are found by transport and address: a TLS destination is
 * never given a clear-text TCP connection to the same address.
 */
final class Flows {
    private final String nodeId;
    private final ConcurrentMap<String, Channel> byToken = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Channel> byRemote = new ConcurrentHashMap<>();

    Flows(String nodeId) {
        this.nodeId = nodeId;
    }

    String nodeId() {
        return nodeId;
    }

    static String key(SipTransport transport, Peer peer) {
        return transport.name() + " " + peer;
    }

    /** @param accepted whether the peer opened the connection (else this node did, to a peer that listens) */
    String register(Channel channel, String remoteKey, boolean accepted) {
        String token = FlowTokens.token(nodeId, accepted, channel.id().asShortText());
        byToken.put(token, channel);
        byRemote.put(remoteKey, channel);
        channel.closeFuture().addListener(f -> {
            byToken.remove(token, channel);
            byRemote.remove(remoteKey, channel);
        });
        return token;
    }

    Optional<String> tokenOf(Channel channel) {
        return Optional.ofNullable(channel.attr(StreamHandler.FLOW).get());
    }

    Optional<Channel> byToken(String token) {
        return Optional.ofNullable(byToken.get(token)).filter(Channel::isActive);
    }

    Optional<Channel> byRemote(String remoteKey) {
        return Optional.ofNullable(byRemote.get(remoteKey)).filter(Channel::isActive);
    }

    void closeAll() {
        byToken.values().forEach(Channel::close);
    }
}
