package org.switchboard.session.api;

/**
 * Look at the call's deadline now: end it (BYE to both sides) if its session timer ran out or it lasted the
 * maximum call duration, else arm its timers. Sent by the node's call sweeper to calls that are due, through
 * sharding, so a call that sleeps (passivated) or lost its node is woken and ended on time; the entity sends it to
 * itself as its maximum-duration timer.
 */
public record CheckDeadline() implements CallCommand {
}
