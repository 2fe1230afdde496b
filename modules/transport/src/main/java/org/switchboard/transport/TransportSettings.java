package org.switchboard.transport;

import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.transport.tls.TlsSettings;

import com.typesafe.config.Config;

/**
 * Where the SIP listeners bind and what address the node writes into Via and Record-Route.
 *
 * @param advertisedHost  the host other parties reach this node (or cluster) at; the bind host when unset
 * @param tls             the TLS listener (on {@code host} at its own port; off by default)
 * @param udpMtuThreshold requests to a UDP destination larger than this many bytes go over TCP (RFC 3261
 *                        §18.1.1); 0 never switches
 */
public record TransportSettings(String host, int port, String advertisedHost, int advertisedPort,
                                FramingLimits framing, int udpReceiveBuffer, int maxDatagram, TlsSettings tls,
                                int udpMtuThreshold) {

    public TransportSettings(String host, int port, String advertisedHost, int advertisedPort, FramingLimits framing,
                             int udpReceiveBuffer, int maxDatagram) {
        this(host, port, advertisedHost, advertisedPort, framing, udpReceiveBuffer, maxDatagram, TlsSettings.off(), 1300);
    }

    public static TransportSettings fromConfig(Config sip) {
        String host = sip.getString("host");
        int port = sip.getInt("port");
        String advHost = sip.getString("advertised-host");
        int advPort = sip.getInt("advertised-port");
        TlsSettings tls = sip.hasPath("tls") ? TlsSettings.fromConfig(sip.getConfig("tls")) : TlsSettings.off();
        return new TransportSettings(host, port, advHost.isEmpty() ? host : advHost, advPort == 0 ? port : advPort,
                new FramingLimits(sip.getInt("max-header-bytes"), sip.getInt("max-body-bytes")),
                sip.getInt("udp-receive-buffer"), sip.getInt("max-datagram"), tls, sip.getInt("udp-mtu-threshold"));
    }

    /** The node's own address as a URI host:port, for Via sent-by and Record-Route. */
    public String advertised() {
        return new org.switchboard.transport.api.Peer(advertisedHost, advertisedPort).toString(); // [v6]:port
    }
}
