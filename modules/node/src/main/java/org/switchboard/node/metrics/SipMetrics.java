package org.switchboard.node.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.switchboard.node.activity.Activity;
import org.switchboard.node.activity.ResponseLine;
import org.switchboard.sip.Method;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.OutboundTap;
import org.switchboard.transport.api.SipTransport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * This node's SIP edge as Prometheus counts: requests received by method and transport, responses sent by CSeq
 * method and status class, the setup time of calls (from {@link Activity}, which measures it for the console) and the
 * latency of REGISTER transactions (arrival to final response).
 *
 * <p>On the hot path (a network thread per request, the send-path actor per response): every counter is made once,
 * here, and picked from an array by index; a response costs a byte scan of its status line and CSeq, no parse, no
 * string, no lock. Only a final response to a REGISTER while one waits has its Call-ID read.
 */
public final class SipMetrics implements InboundRequests, OutboundTap, Activity.SetupListener {
    /** The methods counted by name; any other is counted as "other" (the last slot of each table). */
    static final Method[] METHODS = {Method.INVITE, Method.ACK, Method.BYE, Method.CANCEL, Method.REGISTER,
            Method.OPTIONS, Method.PRACK, Method.SUBSCRIBE, Method.NOTIFY, Method.PUBLISH, Method.INFO, Method.REFER,
            Method.MESSAGE, Method.UPDATE};
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];
    private static final int REGISTER = 4;
    static final String OTHER = "other";
    /** REGISTERs awaiting their final response at most; a phone waits 32 s at most (Timer F), so do we. */
    static final int MAX_WAITING_REGISTERS = 100_000;
    static final Duration MAX_REGISTER_WAIT = Duration.ofSeconds(64); // forgotten after 32-64 s

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = METHODS[i].name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final Counter[][] requests = new Counter[METHODS.length + 1][SipTransport.values().length];
    private final Counter[][] responses = new Counter[METHODS.length + 1][6];
    private final Timer answered;
    private final Timer challenged;
    private final Timer failed;
    private final Timer registers;
    private final WaitingRequests waitingRegisters;

    public SipMetrics(MeterRegistry registry, Clock clock) {
        for (int m = 0; m <= METHODS.length; m++) {
            String method = m < METHODS.length ? METHODS[m].name() : OTHER;
            for (SipTransport t : SipTransport.values()) {
                requests[m][t.ordinal()] = Counter.builder("switchboard.sip.requests")
                        .description("SIP requests received at this node's edge and routed into the cluster")
                        .tag("method", method).tag("transport", t.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
            for (int c = 0; c < 6; c++) {
                responses[m][c] = Counter.builder("switchboard.sip.responses")
                        .description("SIP responses sent by this node, by the method of their CSeq and status class")
                        .tag("method", method).tag("class", (c + 1) + "xx")
                        .register(registry);
            }
        }
        answered = setupTimer(registry, "answered");
        challenged = setupTimer(registry, "challenged");
        failed = setupTimer(registry, "failed");
        registers = Timer.builder("switchboard.register.duration")
                .description("REGISTER transactions at this node's edge: arrival to final response (401 included)")
                .serviceLevelObjectives(millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 32_000))
                .register(registry);
        waitingRegisters = new WaitingRequests(clock, MAX_WAITING_REGISTERS, MAX_REGISTER_WAIT);
    }

    /** Time to the first final response; up to Timer C (3 min): it includes the ringing of calls people answer. */
    private static Timer setupTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("switchboard.call.setup")
                .description("Initial INVITEs at this node's edge: arrival to first final response; outcome answered "
                        + "(2xx), challenged (401/407, the caller retries with credentials) or failed")
                .tag("outcome", outcome)
                .serviceLevelObjectives(millis(10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
                        180_000))
                .register(registry);
    }

    static Duration[] millis(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofMillis(values[i]);
        }
        return out;
    }

    @Override
    public void received(SipRequest request, SipTransport transport) {
        int m = index(request.methodType());
        requests[m][transport.ordinal()].increment();
        if (m == REGISTER) {
            waitingRegisters.arrived(request.callId());
        }
    }

    @Override
    public void sending(byte[] message) {
        int status = ResponseLine.status(message);
        if (status < 100 || status > 699) {
            return; // a request
        }
        int m = ResponseLine.cseqMethod(message, METHOD_BYTES);
        responses[m][status / 100 - 1].increment();
        if (m == REGISTER && status >= 200 && !waitingRegisters.isEmpty()) {
            ResponseLine.callId(message).ifPresent(id -> waitingRegisters.answered(id)
                    .ifPresent(took -> registers.record(took, TimeUnit.MILLISECONDS)));
        }
    }

    @Override
    public void setupEnded(int status, long millis) {
        Timer t = status < 300 ? answered : status == 401 || status == 407 ? challenged : failed;
        t.record(millis, TimeUnit.MILLISECONDS);
    }

    /** Forgets REGISTERs that never got a final response (called about once a second). */
    public void expire() {
        waitingRegisters.expire();
    }

    private static int index(Method method) {
        for (int i = 0; i < METHODS.length; i++) {
            if (METHODS[i] == method) {
                return i;
            }
        }
        return METHODS.length;
    }
}
