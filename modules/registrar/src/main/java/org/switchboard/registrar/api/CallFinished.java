package org.switchboard.registrar.api;

/**
 * A call this AOR's user placed (and {@link CheckCredentials} admitted) failed or ended: it no longer counts
 * against the account's concurrent-call limit. Sent by the Call entity; unknown Call-IDs are ignored.
 */
public record CallFinished(String callId) implements RegistrationCommand {
}
