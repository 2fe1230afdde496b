package org.switchboard.admin.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hangup CALL-ID}: the node sends BYE to both sides and the call ends as "operator". */
@Command(name = "hangup", description = "Hang up a call that is up: BYE to both sides; the call's record says it was ended by the operator.")
final class HangupCommand extends NodeCommand {
    @Parameters(paramLabel = "CALL-ID")
    String callId;

    @Override
    void execute() {
        node().delete("/calls/" + NodeClient.segment(callId));
        confirm("hung up " + callId);
    }
}
