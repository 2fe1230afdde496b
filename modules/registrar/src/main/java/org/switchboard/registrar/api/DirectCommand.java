package org.switchboard.registrar.api;

/**
 * A command of another entity on this node ({@link Lookup}, {@link CheckCredentials}, {@link CallFinished}) handed
 * straight to the Registration entity awake here ({@link AwakeRegistrations}) rather than through sharding's region
 * and shard actors. Should the entity have stopped meanwhile, the command goes through sharding after all. Never
 * sent to another node.
 */
public record DirectCommand(String aor, RegistrationCommand command)
        implements RegistrationCommand, DirectDelivery<RegistrationCommand> {
    @Override
    public String entityId() {
        return aor;
    }

    @Override
    public RegistrationCommand direct() {
        return this;
    }

    @Override
    public RegistrationCommand viaSharding() {
        return command;
    }
}
