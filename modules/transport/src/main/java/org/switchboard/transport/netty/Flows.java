package org.switchboard.transport.netty;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The live stream connections of this node, by flow token and by remote address. A flow token names one
 * connection on one node, cluster-wide unique, so an entity can ask for a reply on the very connection a
 * request came on (RFC 3261 §18.2.2).
 */
final class Flows {
    private final String nodePrefix = UUID.randomUUID().toString().substring(0, 8);
    private final ConcurrentMap<String, Channel> byToken = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Channel> byRemote = new ConcurrentHashMap<>();

    /** The channel attribute holding a connection's flow token. */
    static final AttributeKey<String> FLOW = AttributeKey.valueOf("sip-flow");

    /**
     * Registers a connection under its token (also set as its {@link #FLOW} attribute) and its transport and remote
     * address: a TCP destination is never written on a WebSocket connection from the same address, nor the reverse.
     */
    String register(Channel channel, SipTransport transport, Peer remote) {
        String remoteKey = remoteKey(transport, remote);
        String token = nodePrefix + "-" + channel.id().asShortText();
        channel.attr(FLOW).set(token);
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

    Optional<Channel> byRemote(SipTransport transport, Peer remote) {
        return Optional.ofNullable(byRemote.get(remoteKey(transport, remote))).filter(Channel::isActive);
    }

    private static String remoteKey(SipTransport transport, Peer remote) {
        return transport.name() + " " + remote;
    }

    void closeAll() {
        byToken.values().forEach(Channel::close);
    }
}
