package org.switchboard.node;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.switchboard.transport.TransportSettings;
import org.switchboard.transport.api.Peer;
import org.switchboard.node.metrics.NodeMetrics;
import org.switchboard.transport.hep.HepSender;
import org.switchboard.transport.hep.HepSettings;
import org.switchboard.transport.hep.SipCapture;

import com.typesafe.config.Config;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;

/**
 * {@code switchboard.capture.hep}: checked with the other settings before anything starts (a collector that does not
 * resolve stops the node with one line, exit 2), and started with the transport role.
 */
final class SipCaptureSetup {
    private SipCaptureSetup() {
    }

    /** The capture settings when capture is on; empty when off. */
    static Optional<HepSettings> check(Config sb) throws StartupException {
        try {
            return HepSettings.fromConfig(sb.getConfig("capture.hep"));
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            throw new StartupException(2, e.getMessage());
        }
    }

    /** Starts the sender, stopped when the node stops (after the SIP listeners, which feed it). */
    static Optional<SipCapture> start(ActorSystem<?> system, Optional<HepSettings> settings, TransportSettings sip,
                                      Optional<NodeMetrics> metrics) throws StartupException {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        try {
            HepSender sender = HepSender.start(settings.get(), new Peer(sip.host(), sip.port()).toString(),
                    Clock.systemUTC());
            metrics.ifPresent(m -> m.capture(sender.counters()));
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "sip-capture-stop", () -> {
                sender.close();
                return CompletableFuture.completedFuture(Done.getInstance());
            });
            return Optional.of(sender);
        } catch (IOException e) {
            throw new StartupException(2, "switchboard.capture.hep: cannot open a UDP socket: " + e.getMessage());
        }
    }
}
