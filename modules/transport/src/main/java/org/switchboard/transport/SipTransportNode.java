package org.switchboard.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.transport.api.AuthFailed;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Redeliver;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.netty.NettyListeners;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.netty.channel.Channel;

/**
 * The transport role of a node: SIP listeners on UDP and TCP, and the send-path actor entities address (to send,
 * or to have a message routed into the cluster again).
 * {@link #start} binds synchronously, so a port in use fails start-up at once. The send-path actor also takes the
 * registrar's {@link AuthFailed} reports for requests that came in here, and bans sources that keep guessing.
 */
public final class SipTransportNode {
    private final NettyListeners listeners;
    private final ActorRef<TransportCommand> sendPath;

    private SipTransportNode(NettyListeners listeners, ActorRef<TransportCommand> sendPath) {
        this.listeners = listeners;
        this.sendPath = sendPath;
    }

    public static SipTransportNode start(ActorSystem<?> system, TransportSettings settings,
                                         WebSocketSettings webSockets, EdgeSecurity security, Edge edge,
                                         InboundRouter router, EdgeCounters counters)
            throws InterruptedException {
        AtomicReference<NettyListeners> holder = new AtomicReference<>();
        EdgeGuard guard = EdgeGuard.of(security);
        NettyListeners listeners = new NettyListeners(settings, webSockets, security, guard, edge, router, counters);
        holder.set(listeners);
        ActorRef<TransportCommand> sendPath = system.systemActorOf(
                Behaviors.receive(TransportCommand.class)
                        .onMessage(org.switchboard.transport.api.Send.class, send -> {
                            holder.get().send(send);
                            return Behaviors.same();
                        })
                        .onMessage(AuthFailed.class, failed -> {
                            guard.bans().record(failed); // this actor is the only writer of the failure counts
                            return Behaviors.same();
                        })
                        .onMessage(Redeliver.class, again -> {
                            if (SipParser.parse(again.envelope().bytes()) instanceof ParseResult.Parsed p) {
                                router.route(again.envelope(), p.message());
                            }
                            return Behaviors.same();
                        })
                        .build(),
                "sip-send-path", Props.empty());
        listeners.bind(sendPath);
        return new SipTransportNode(listeners, sendPath);
    }

    public ActorRef<TransportCommand> sendPath() {
        return sendPath;
    }

    public InetSocketAddress udpAddress() {
        return (InetSocketAddress) listeners.udpChannel().localAddress();
    }

    public Channel udpChannel() {
        return listeners.udpChannel();
    }

    /** Stops listening and closes every connection; waits for the event loops to finish. */
    public void stop() {
        listeners.close();
    }
}
