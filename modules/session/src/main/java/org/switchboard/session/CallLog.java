package org.switchboard.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.switchboard.transport.LogSafe;

/**
 * One INFO line per outcome of a call, written once the outcome is in the journal (so a line means it is durable,
 * and a replay writes none): answered, failed, transferred, ended. The lines are written from the journal's
 * answer, which Akka's MDC interceptor on the entity ({@link Call#create}) does not see, so each puts the Call-ID
 * into the MDC itself; parties come from the caller's request and are escaped ({@link LogSafe}).
 */
final class CallLog {
    static final String MDC_KEY = "callId";
    private static final Logger log = LoggerFactory.getLogger("org.switchboard.calls");

    private CallLog() {
    }

    static void answered(Dialog d) {
        if (log.isInfoEnabled()) {
            withCallId(d.callId(), () -> log.info("call answered from={} to={}", LogSafe.text(d.from()), LogSafe.text(d.to())));
        }
    }

    static void failed(String callId, int status, String reason, String from, String to) {
        if (log.isInfoEnabled()) {
            withCallId(callId, () -> log.info("call failed status={} reason={} from={} to={}", status, LogSafe.quoted(reason),
                    LogSafe.text(from), LogSafe.text(to)));
        }
    }

    static void transferred(String callId, String target) {
        if (log.isInfoEnabled()) {
            withCallId(callId, () -> log.info("call transferred to={}", LogSafe.text(target)));
        }
    }

    /**
     * {@code cause}: "BYE 200" (a party hung up: {@code by} says which), "ended by the operator", a session timer or
     * deadline (by the proxy).
     */
    static void ended(String callId, String cause, String by, CallState before, long nowMillis) {
        if (log.isInfoEnabled()) {
            long seconds = before instanceof CallState.Answered a ? Math.max(0, nowMillis - a.answeredAtMillis()) / 1000 : 0;
            withCallId(callId, () -> log.info("call ended cause={} by={} duration={}s", LogSafe.quoted(cause), by, seconds));
        }
    }

    private static void withCallId(String callId, Runnable logging) {
        MDC.put(MDC_KEY, LogSafe.text(callId));
        try {
            logging.run();
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
