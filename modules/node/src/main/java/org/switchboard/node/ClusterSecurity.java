package org.switchboard.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

/**
 * Who may speak for the cluster, settled before the actor system starts: the cluster secret (configured, or kept
 * by a node that runs alone) and Akka remoting (mutual TLS, or plain TCP on a lone node's loopback). A node of a
 * multi-node cluster without either refuses to start.
 */
final class ClusterSecurity {
    private ClusterSecurity() {
    }

    /**
     * The configuration the node runs with: the secret resolved once (every reader of switchboard.cluster-secret,
     * the registrar's included, sees the same value) and remoting's transport chosen.
     */
    static Config apply(Config config) throws StartupException {
        Config sb = config.getConfig("switchboard");
        boolean alone = runsAlone(sb);
        Optional<String> configured = ClusterSecret.configured(sb, alone);
        Config remoting = remoting(sb, alone);
        // only once every check passed: a node that refuses to start leaves no file behind
        String secret = configured.isPresent() ? configured.get() : ClusterSecret.kept(sb);
        return remoting.withFallback(config.withValue(ClusterSecret.KEY, ConfigValueFactory.fromAnyRef(secret)));
    }

    /**
     * The checks of {@link #apply} (secret, remoting TLS and its files), without keeping a generated secret:
     * for --check-config, which must leave nothing behind.
     */
    static void check(Config config) throws StartupException {
        Config sb = config.getConfig("switchboard");
        boolean alone = runsAlone(sb);
        ClusterSecret.configured(sb, alone);
        remoting(sb, alone);
    }

    /**
     * A cluster of this node alone: both roles, Cluster Bootstrap off, and no seed node other than itself. Anything
     * else forms or joins a cluster of several nodes, which must share the secret and authenticate each other.
     */
    static boolean runsAlone(Config sb) {
        List<String> roles = sb.getStringList("roles");
        if (!roles.contains(SwitchboardNode.TRANSPORT_ROLE) || !roles.contains(SwitchboardNode.CORE_ROLE)) {
            return false;
        }
        if (sb.getBoolean("cluster.bootstrap.enabled")) {
            return false;
        }
        String self = "akka://switchboard@" + sb.getString("cluster.host") + ":" + sb.getInt("cluster.port");
        return sb.getStringList("cluster.seed-nodes").stream().allMatch(self::equals);
    }

    private static Config remoting(Config sb, boolean alone) throws StartupException {
        Config tls = sb.getConfig("security.cluster-tls");
        if (tls.getBoolean("enabled")) {
            return ClusterTls.remoting(tls);
        }
        String host = sb.getString("cluster.host");
        if ((alone && loopback(host)) || tls.getBoolean("allow-plaintext")) {
            return ClusterTls.plaintext();
        }
        String why = alone ? "remoting listens on " + host + ", not on loopback" : "this node is part of a multi-node cluster";
        throw new StartupException(2, ClusterTls.KEY + ".enabled must be on (" + why + "): set its certificate,"
                + " private-key and ca (deploy/README.md); " + ClusterTls.KEY + ".allow-plaintext = on only in an isolated lab");
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
