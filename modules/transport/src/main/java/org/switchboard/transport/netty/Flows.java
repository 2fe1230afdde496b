package org.switchboard.transport.netty;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.switchboard.transport.api.FlowTokens;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The live stream connections of this node, by flow token and by transport and remote address. A flow token names
 * one connection on one node, cluster-wide unique, and the node that holds it ({@link FlowTokens}), so an entity
 * can ask for a reply on the very connection a request came on (RFC 3261 §18.2.2), and any transport node can pass
 * a message for it to the one that holds it. Connections are found by transport and address: a TLS destination is
 * never given a clear-text TCP connection to the same address, nor a TCP one a WebSocket.
 */
final class Flows {
    /** The channel attribute holding a connection's flow token. */
    static final AttributeKey<String> FLOW = AttributeKey.valueOf("sip-flow");
    /** The transport of a connection (TCP, TLS behind an SslHandler, WS, WSS). */
    static final AttributeKey<SipTransport> TRANSPORT = AttributeKey.valueOf("sip-transport");

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

    /**
     * Registers a connection under its token (set as its {@link #FLOW} attribute, its transport as
     * {@link #TRANSPORT}) and its transport and remote address.
     *
     * @param accepted whether the peer opened the connection (else this node did, to a peer that listens)
     */
    String register(Channel channel, SipTransport transport, Peer remote, boolean accepted) {
        String remoteKey = key(transport, remote);
        String token = FlowTokens.token(nodeId, accepted, channel.id().asShortText());
        channel.attr(FLOW).set(token);
        channel.attr(TRANSPORT).set(transport);
        byToken.put(token, channel);
        byRemote.put(remoteKey, channel);
        channel.closeFuture().addListener(f -> {
            byToken.remove(token, channel);
            byRemote.remove(remoteKey, channel);
        });
        return token;
    }

    static Optional<String> tokenOf(Channel channel) {
        return Optional.ofNullable(channel.attr(FLOW).get());
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
