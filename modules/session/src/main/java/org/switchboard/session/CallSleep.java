package org.switchboard.session;

import java.util.Optional;

import org.switchboard.session.api.AwakeCalls;
import org.switchboard.session.api.CallCommand;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * When a Call entity asks its shard to passivate it, and the node's list of awake calls that its edge hands
 * messages to directly ({@link AwakeCalls}). Outside sharding (tests without a shard) it never sleeps.
 */
final class CallSleep {
    private final String callId;
    private final ActorContext<CallCommand> context;
    private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
    private final Invites invites;
    private final InDialog inDialog;
    private final Requests requests;
    private final Subscriptions subscriptions;

    CallSleep(String callId, ActorContext<CallCommand> context, Optional<ActorRef<ClusterSharding.ShardCommand>> shard,
              Invites invites, InDialog inDialog, Requests requests, Subscriptions subscriptions) {
        this.callId = callId;
        this.context = context;
        this.shard = shard;
        this.invites = invites;
        this.inDialog = inDialog;
        this.requests = requests;
        this.subscriptions = subscriptions;
    }

    /**
     * A call that has been set up (answered, failed or ended) with no transaction left and no session timer to
     * run asks its shard to passivate it: what it needs next (a BYE, a re-INVITE) is in the journal, so it costs
     * no memory while it talks; the next request wakes it. A call with a session timer stays awake to run it. An
     * ended call does not wait for its INVITE's transactions, which are only kept (RFC 6026, 64*T1 after the
     * answer) for retransmissions of the INVITE and its 2xx that cannot come once a BYE has been answered: else
     * every call shorter than 32 s would hold its memory for 32 s, and a longer one until sharding's idle timeout;
     * nor for Timer K of a BYE answered promptly ({@link ForwardedRequests#allAnsweredPromptly}).
     */
    void ifQuiet(CallState state) {
        boolean timerToRun = state instanceof CallState.Answered a && a.sessionExpiresAtMillis() > 0;
        boolean ended = state instanceof CallState.Ended;
        boolean invitesDone = invites.isEmpty() || ended;
        boolean inDialogDone = ended ? inDialog.allAnsweredPromptly() : inDialog.isEmpty();
        if (invitesDone && inDialogDone && requests.isEmpty() && !(state instanceof CallState.Setup) && !timerToRun) {
            now();
        }
    }

    /** An operator asked about a Call-ID this node has nothing of: the entity it took to say so goes at once. */
    void afterALook(CallState state) {
        if (holdsNothing(state)) {
            now();
        } else {
            ifQuiet(state);
        }
    }

    /**
     * A request of no dialog this entity holds woke it for nothing (a stray ACK, a stranger's BYE answered 481): it
     * goes at once, else every such request, which anyone can send with a Call-ID of their choosing, would keep an
     * entity in memory until sharding's idle timeout.
     */
    void ifHoldingNothing(CallState state) {
        if (holdsNothing(state)) {
            now();
        }
    }

    /** No call was ever set up here, no transaction is under way and no subscription known: nothing to keep. */
    private boolean holdsNothing(CallState state) {
        return state instanceof CallState.Setup s && s.handedOver().isEmpty() && invites.isEmpty() && inDialog.isEmpty()
                && requests.isEmpty() && subscriptions.isEmpty();
    }

    /** From now on sharding carries this call's messages: it holds them while the entity stops, and wakes a new one. */
    void now() {
        shard.ifPresent(s -> {
            asleep();
            s.tell(new ClusterSharding.Passivate<>(context.getSelf()));
        });
    }

    /** This node's edge hands the call's messages to this entity directly (see {@link AwakeCalls}); in sharding only. */
    void awake() {
        shard.ifPresent(s -> AwakeCalls.get(context.getSystem()).awake(callId, context.getSelf()));
    }

    void asleep() {
        shard.ifPresent(s -> AwakeCalls.get(context.getSystem()).asleep(callId, context.getSelf()));
    }
}
