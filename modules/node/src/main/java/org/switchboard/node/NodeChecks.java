package org.switchboard.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.registrar.DigestPolicy;
import org.switchboard.transport.dns.DnsSettings;
import org.switchboard.transport.security.Cidr;

import com.typesafe.config.Config;

/**
 * The checks a node's start makes of its configuration (the same methods), run for {@code --check-config} one after
 * another so that every problem is listed, not only the first. None opens a port or the journal or writes a file:
 * the certificates, keys and subscribers file named are only read. A check added to SwitchboardNode.start belongs
 * here too; the registrar's, DNS and proxy settings are read after the actor system starts there, so they are
 * checked here first.
 */
final class NodeChecks {
    @FunctionalInterface
    private interface Check {
        void run() throws StartupException;
    }

    private NodeChecks() {
    }

    /** What would stop the node with {@code config} (NodeConfig's, already checked against reference.conf). */
    static List<String> problems(Config config) {
        Config sb = config.getConfig("switchboard");
        List<Check> checks = List.of(
                () -> SwitchboardNode.roles(sb),
                () -> SipTls.check(sb.getConfig("sip")),
                () -> SipTls.mediaPolicy(sb),
                () -> SwitchboardNode.webSocketSettings(sb),
                () -> SwitchboardNode.edgeSecurity(sb),
                () -> SwitchboardNode.warmUpSettings(sb),
                () -> SipCaptureSetup.check(sb),
                () -> ClusterSecurity.check(config),
                () -> ManagementTls.fromConfig(sb),
                () -> {
                    String format = sb.getString("logging.format");
                    if (!format.equals("text") && !format.equals("json")) {
                        throw new StartupException(2, "switchboard.logging.format must be text or json, not '" + format + "'");
                    }
                },
                () -> {
                    if (!sb.getString("subscribers-file").isEmpty()) {
                        Subscriber.read(Path.of(sb.getString("subscribers-file")));
                    }
                },
                () -> DigestPolicy.fromConfig(sb.getConfig("registrar")),
                () -> DnsSettings.fromConfig(sb.getConfig("dns")),
                () -> {
                    try {
                        sb.getStringList("proxy.trusted-peers").forEach(Cidr::parse);
                    } catch (IllegalArgumentException e) {
                        throw new StartupException(2, "switchboard.proxy.trusted-peers: " + e.getMessage());
                    }
                });
        List<String> problems = new ArrayList<>();
        for (Check check : checks) {
            try {
                check.run();
            } catch (StartupException e) {
                problems.addAll(e.problems());
            } catch (RuntimeException e) {
                problems.add(String.valueOf(e.getMessage()));
            }
        }
        return List.copyOf(problems);
    }
}
