package org.switchboard.transport;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.transport.api.AuthFailed;
import org.switchboard.transport.api.FlowOwners;
import org.switchboard.transport.api.FlowTokens;
import org.switchboard.transport.api.PassedOn;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.OutboundTap;
import org.switchboard.transport.api.Redeliver;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SendPaths;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.dns.DnsSettings;
import org.switchboard.transport.hep.SipCapture;
import org.switchboard.transport.netty.NettyListeners;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.netty.channel.Channel;

/**
 * The transport role of a node: SIP listeners on UDP and TCP (and TLS when configured), and the send-path actor entities address (to send,
 * or to have a message routed into the cluster again).
 * {@link #start} binds synchronously, so a port in use fails start-up at once. The send-path actor also takes the
 * registrar's {@link AuthFailed} reports for requests that came in here, and bans sources that keep guessing.
 */
public final class SipTransportNode {
    private final NettyListeners listeners;
    private final ActorRef<TransportCommand> sendPath;
    private final EdgeGuard guard;

    private SipTransportNode(NettyListeners listeners, ActorRef<TransportCommand> sendPath, EdgeGuard guard) {
        this.listeners = listeners;
        this.sendPath = sendPath;
        this.guard = guard;
    }

    /**
     * @param owners the cluster's other transport nodes by the ids in their flow tokens: a message for a flow one of
     *               them holds is passed on to it ({@link FlowOwners#NONE} for a node alone)
     * @param tap    sees each message handed to the send path ({@link OutboundTap#NONE}: nothing does)
     * @param capture sees every SIP message the listeners receive and write (SIP capture); empty: off, no cost
     */
    public static SipTransportNode start(ActorSystem<?> system, TransportSettings settings,
                                         WebSocketSettings webSockets, EdgeSecurity security, Edge edge,
                                         InboundRouter router, EdgeCounters counters, DnsSettings dns,
                                         FlowOwners owners, OutboundTap tap, Optional<SipCapture> capture)
            throws InterruptedException {
        AtomicReference<NettyListeners> holder = new AtomicReference<>();
        EdgeGuard guard = EdgeGuard.of(security);
        // called by the actor and, through SendPaths, by this JVM's entities on their own threads: the tap and the
        // listeners' send are safe from many threads
        Consumer<Send> write = send -> {
            tap.sending(send.bytes());
            holder.get().send(send);
        };
        // nothing is sent to the actor before it is registered below, after the listeners are set
        ActorRef<TransportCommand> sendPath = system.systemActorOf(
                Behaviors.receive(TransportCommand.class)
                        .onMessage(Send.class, send -> {
                            write.accept(send);
                            return Behaviors.same();
                        })
                        .onMessage(PassedOn.class, passed -> {
                            holder.get().sendPassedOn(passed.send());
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
        String nodeId = FlowTokens.nodeId(ActorRefResolver.get(system).toSerializationFormat(sendPath));
        NettyListeners listeners = new NettyListeners(settings, webSockets, security, guard, edge, router, counters, dns, nodeId,
                owners, capture);
        holder.set(listeners);
        listeners.bind(sendPath);
        SendPaths.register(sendPath, write);
        return new SipTransportNode(listeners, sendPath, guard);
    }

    public ActorRef<TransportCommand> sendPath() {
        return sendPath;
    }

    public InetSocketAddress udpAddress() {
        return (InetSocketAddress) listeners.udpChannel().localAddress();
    }

    /** The TLS listener's bound address, when {@code switchboard.sip.tls.port} is set. */
    public java.util.Optional<InetSocketAddress> tlsAddress() {
        return listeners.tlsAddress();
    }

    /** The edge's rate limit and bans spare this UDP socket of the node's own until {@link #endExemption}. */
    public void exempt(InetSocketAddress ownSocket) {
        guard.exempt(ownSocket);
    }

    public void endExemption(InetSocketAddress ownSocket) {
        guard.endExemption(ownSocket);
    }

    public Channel udpChannel() {
        return listeners.udpChannel();
    }

    /** Stops listening and closes every connection; waits for the event loops to finish. */
    public void stop() {
        SendPaths.remove(sendPath);
        listeners.close();
    }
}
