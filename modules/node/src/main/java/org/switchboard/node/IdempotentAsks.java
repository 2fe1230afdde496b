package org.switchboard.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asking an entity an idempotent command again when its answer does not come: while nodes join, sharding hands
 * shards over and drops the messages it buffered for them ("Dropping [N] buffered messages to shard ... during
 * hand off"), so one ask with a long timeout may wait for nothing.
 */
public final class IdempotentAsks {
    private static final long PAUSE_MILLIS = 200;

    private IdempotentAsks() {
    }

    /** The answer of {@code ask}, asked again after each timeout until {@code deadlineNanos} (System.nanoTime). */
    public static <T> CompletableFuture<T> retried(Supplier<CompletionStage<T>> ask, long deadlineNanos) {
        return ask.get().toCompletableFuture().handle((answer, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(answer);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof TimeoutException && System.nanoTime() < deadlineNanos) {
                return CompletableFuture.runAsync(() -> { },
                                CompletableFuture.delayedExecutor(PAUSE_MILLIS, TimeUnit.MILLISECONDS))
                        .thenCompose(paused -> retried(ask, deadlineNanos));
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(Function.identity());
    }
}
