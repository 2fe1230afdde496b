package org.switchboard.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import akka.actor.ActorSystem;

/**
 * The readiness check behind {@code GET /ready}: true only once this node serves (member Up, journal schema
 * checked, shards and subscribers in place, SIP bound for the transport role) and false again from the moment
 * it starts shutting down, so a load balancer or Kubernetes stops sending before the listeners close.
 * Akka Management instantiates it by class name with the classic actor system.
 */
public final class ServingCheck implements Supplier<CompletionStage<Boolean>> {
    private final ActorSystem system;

    public ServingCheck(ActorSystem system) {
        this.system = system;
    }

    @Override
    public CompletionStage<Boolean> get() {
        return CompletableFuture.completedFuture(ServingState.get(system).serving());
    }
}
