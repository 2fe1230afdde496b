/**
 * The four RFC 3261 §17 transaction state machines, with the RFC 6026 corrections, as pure functions.
 *
 * <p>Each machine is a sealed interface whose records are its states. {@code start(..)} and
 * {@code on(event, now)} return a {@link org.switchboard.sip.transaction.Transition}: the next state and the
 * {@link org.switchboard.sip.transaction.Action}s to perform. Nothing here sends, schedules or reads a clock:
 * the executor (the transaction's actor) reads its injected {@code java.time.Clock} once per message and
 * passes the instant in, so the same state, event and instant always give the same transition, and tests
 * control time completely.
 *
 * <p>The executor's side of the contract:
 * <ul>
 *   <li>perform the actions in list order;</li>
 *   <li>{@code StartTimer} replaces any pending timer of the same name; {@code CancelTimer} of a timer that is
 *       not pending does nothing;</li>
 *   <li>{@code Terminate} means destroy the transaction now (RFC 3261 §17.1.1.2) and drop all its timers;</li>
 *   <li>deliver a due timer as {@code TimerFired}. A timer that fires after it was cancelled or after the state
 *       moved on is absorbed by the machine, so the executor need not guard against that race.</li>
 * </ul>
 *
 * <p>Events a state has no rule for are absorbed: same state, no actions. That is the RFC's own default
 * (a stray response or request is discarded by the transaction), and it makes late timers harmless.
 */
package org.switchboard.sip.transaction;
