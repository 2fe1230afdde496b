package org.switchboard.node;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicReference;

import org.switchboard.transport.api.FlowOwners;
import org.switchboard.transport.api.FlowTokens;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.api.TransportLocator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;

/**
 * The send paths of the cluster's live transport nodes, as the Receptionist lists them. A core-only node has no
 * SIP socket of its own: when a call must send a request of its own (a session-timer BYE after a failover, say)
 * and no inbound message names a transport node, it goes through any live one, this node's own first.
 *
 * <p>It is also where a transport node finds the owner of a flow another node holds: by the node id in the flow's
 * token, the hash of the owner's send path ({@link FlowTokens#nodeId}). A node that has left the listing owns
 * nothing any more: its flows died with it.
 *
 * <p>A send path once listed and now missing from the reachable listing is {@linkplain #lost lost}: its node was
 * killed, cut off or stopped, and an entity that kept it from an earlier message sends through a live one instead.
 * The set of send paths ever listed grows by one per transport node incarnation: a handful over a node's life.
 */
final class TransportDirectory implements TransportLocator, FlowOwners {
    static final ServiceKey<TransportCommand> KEY = ServiceKey.create(TransportCommand.class, "sip-transport");

    // written by the listing actor, read by entities on other threads: an immutable list behind a reference
    private final AtomicReference<List<ActorRef<TransportCommand>>> live = new AtomicReference<>(List.of());
    private final AtomicReference<Optional<ActorRef<TransportCommand>>> local = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Map<String, ActorRef<TransportCommand>>> byNodeId = new AtomicReference<>(Map.of());
    private final AtomicReference<Set<ActorRef<TransportCommand>>> everListed = new AtomicReference<>(Set.of());

    static TransportDirectory start(ActorSystem<?> system) {
        TransportDirectory directory = new TransportDirectory();
        system.systemActorOf(directory.listener(), "sip-transport-directory", akka.actor.typed.Props.empty());
        return directory;
    }

    /** Makes this node's transport known to every node's directory. */
    void register(ActorSystem<?> system, ActorRef<TransportCommand> sendPath) {
        local.set(Optional.of(sendPath));
        system.receptionist().tell(Receptionist.register(KEY, sendPath));
    }

    @Override
    public Optional<ActorRef<TransportCommand>> any() {
        return local.get().or(() -> live.get().stream().findFirst());
    }

    @Override
    public boolean lost(ActorRef<TransportCommand> sendPath) {
        if (local.get().filter(sendPath::equals).isPresent()) {
            return false; // this node's own: alive as long as the entity asking
        }
        return everListed.get().contains(sendPath) && !live.get().contains(sendPath);
    }

    @Override
    public Optional<ActorRef<TransportCommand>> owner(String nodeId) {
        return Optional.ofNullable(byNodeId.get().get(nodeId));
    }

    private Behavior<Receptionist.Listing> listener() {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(KEY, ctx.getSelf()));
            ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
            return Behaviors.receiveMessage(listing -> {
                List<ActorRef<TransportCommand>> refs = List.copyOf(listing.getServiceInstances(KEY));
                byNodeId.set(refs.stream().collect(Collectors.toUnmodifiableMap(
                        ref -> FlowTokens.nodeId(resolver.toSerializationFormat(ref)), Function.identity(), (a, b) -> a)));
                live.set(refs);
                // after the live list, so that a node just listed is never seen listed before but not live
                everListed.set(union(everListed.get(), listing.getAllServiceInstances(KEY)));
                return Behaviors.same();
            });
        });
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        if (a.containsAll(b)) {
            return a;
        }
        Set<T> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
