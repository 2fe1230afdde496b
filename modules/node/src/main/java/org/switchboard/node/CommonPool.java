package org.switchboard.node;

import java.util.concurrent.ForkJoinPool;

/**
 * Gives the JDK's common pool at least two workers, before anything starts it.
 *
 * <p>On a machine with two cores the common pool has one worker, and {@code CompletableFuture} then runs every
 * asynchronous completion on a <em>new thread</em> (its {@code ThreadPerTaskExecutor}). Akka's Java API completes
 * each {@code ask} and {@code pipeToSelf} through such a completion — a call asks the registrar at least once — so
 * a node on two cores started and ended a thread per call: 1.7 % of its CPU in thread start-up at 400 calls/s, in a
 * profile of 2026-12-07 (bench/RESULTS.md), besides the churn of thread stacks. With two workers the completions run
 * on the pool. An operator's own {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} is kept.
 */
final class CommonPool {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {
    }

    /** Call first in main: the pool reads the property once, when it is first used. */
    static void atLeastTwoWorkers() {
        if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(PARALLELISM, "2");
        }
    }

    /** Whether asynchronous completions run on the pool rather than on a thread each. */
    static boolean pooled() {
        return ForkJoinPool.getCommonPoolParallelism() > 1;
    }
}
