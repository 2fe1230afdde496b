package org.switchboard.session;

import java.util.Optional;
import java.util.function.Supplier;

import org.switchboard.sip.SipRequest;

/**
 * The highest CSeq each side of a call has used in requests the proxy saw, so that a BYE the proxy sends on its
 * own (a session that expired) is numbered above them and the UAs take it. In memory; the persisted dialog keeps
 * the figures of its last refresh.
 */
final class DialogCseqs {
    private long caller;
    private long callee;
    /** The caller's From tag once known: it never changes in a call, so it is looked up once, not per request. */
    private Optional<String> callerTag = Optional.empty();

    /**
     * Counts a request from the caller when its From tag is the caller's, from the callee otherwise.
     *
     * @param findCallerTag where the caller's tag is found while it is not known yet
     */
    void saw(SipRequest request, Supplier<Optional<String>> findCallerTag) {
        if (callerTag.isEmpty()) {
            callerTag = findCallerTag.get();
        }
        long cseq = request.cseq().number();
        Optional<String> fromTag = request.from().tag();
        if (fromTag.isPresent() && fromTag.equals(callerTag)) {
            caller = Math.max(caller, cseq);
        } else {
            callee = Math.max(callee, cseq);
        }
    }

    /** The dialog with the highest CSeqs known on either side. */
    Dialog update(Dialog dialog) {
        return dialog.withCseqs(caller, callee);
    }
}
