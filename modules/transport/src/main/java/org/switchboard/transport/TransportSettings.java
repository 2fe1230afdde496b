package org.switchboard.transport;

import org.switchboard.sip.framing.FramingLimits;

import com.typesafe.config.Config;

/**
 * Where the SIP listeners bind and what address the node writes into Via and Record-Route.
 *
 * @param advertisedHost  the host other parties reach this node (or cluster) at; the bind host when unset
 * @param udpMtuThreshold requests to a UDP destination larger than this many bytes go over TCP (RFC 3261
 *                        §18.1.1); 0 never switches
 */
public record TransportSettings(String host, int port, String advertisedHost, int advertisedPort,
                                FramingLimits framing, int udpReceiveBuffer, int maxDatagram, int udpMtuThreshold) {

    public TransportSettings(String host, int port, String advertisedHost, int advertisedPort, FramingLimits framing,
                             int udpReceiveBuffer, int maxDatagram) {
        this(host, port, advertisedHost, advertisedPort, framing, udpReceiveBuffer, maxDatagram, 1300);
    }

    public static TransportSettings fromConfig(Config sip) {
        String host = sip.getString("host");
        int port = sip.getInt("port");
        String advHost = sip.getString("advertised-host");
        int advPort = sip.getInt("advertised-port");
        return new TransportSettings(host, port, advHost.isEmpty() ? host : advHost, advPort == 0 ? port : advPort,
                new FramingLimits(sip.getInt("max-header-bytes"), sip.getInt("max-body-bytes")),
                sip.getInt("udp-receive-buffer"), sip.getInt("max-datagram"), sip.getInt("udp-mtu-threshold"));
    }

    /** The node's own address as a URI host:port, for Via sent-by and Record-Route. */
    public String advertised() {
        return advertisedHost + ":" + advertisedPort;
    }
}
