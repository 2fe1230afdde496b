package org.switchboard.transport.dns;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.SipTransport;

/**
 * Where one RFC 3263 lookup stands, as an immutable value: {@link #next} says what to ask DNS, the answer makes the
 * next value. NAPTR → SRV (each candidate name in turn until one has records) → A/AAAA of the SRV targets, or of the
 * host itself with the default port when there is no SRV. The resolver only runs the queries.
 *
 * @param naptr    the name whose NAPTR records are still to be asked
 * @param srv      SRV names still to be tried, best first
 * @param hosts    host names to resolve to addresses, in the order to try them (the final step)
 * @param fallback what is resolved when no SRV name has records
 */
public record Walk(Optional<String> naptr, List<SrvQuery> srv, List<HostTarget> hosts, HostTarget fallback,
                   Set<SipTransport> supported, boolean secure) {

    /** What to do next. */
    public sealed interface Step permits AskNaptr, AskSrv, ResolveHosts {
    }

    public record AskNaptr(String name) implements Step {
    }

    public record AskSrv(SrvQuery query) implements Step {
    }

    /** The last step: resolve these host names, in order, to the targets. */
    public record ResolveHosts(List<HostTarget> hosts) implements Step {
    }

    public Walk {
        srv = List.copyOf(srv);
        hosts = List.copyOf(hosts);
        supported = Set.copyOf(supported);
    }

    /** The walk for a destination whose host is a name (§4.1, §4.2). */
    public static Walk start(Destination d, Set<SipTransport> supported) {
        String host = d.peer().host();
        boolean secure = d.transport() == SipTransport.TLS;
        HostTarget fallback = new HostTarget(d.transport(), host, d.peer().port());
        return switch (d.lookup()) {
            case ADDRESS -> new Walk(Optional.empty(), List.of(), List.of(fallback), fallback, supported, secure);
            case SRV -> new Walk(Optional.empty(), List.of(Rfc3263.srvQuery(host, d.transport())), List.of(), fallback,
                    supported, secure);
            case NAPTR -> new Walk(Optional.of(host), List.of(), List.of(), fallback, supported, secure);
        };
    }

    public Step next() {
        if (naptr.isPresent()) {
            return new AskNaptr(naptr.get());
        }
        if (!hosts.isEmpty()) {
            return new ResolveHosts(hosts);
        }
        if (!srv.isEmpty()) {
            return new AskSrv(srv.get(0));
        }
        return new ResolveHosts(List.of(fallback));
    }

    /** The NAPTR answer (empty when there is none, or the query failed): the SRV names to try. */
    public Walk naptrAnswered(List<NaptrRecord> records) {
        String host = naptr.orElseThrow();
        List<SrvQuery> fromNaptr = Rfc3263.srvFromNaptr(records, supported, secure);
        // §4.1: NAPTR records none of which we can use are as good as none
        List<SrvQuery> queries = fromNaptr.isEmpty() ? Rfc3263.srvWithoutNaptr(host, supported, secure) : fromNaptr;
        return new Walk(Optional.empty(), queries, List.of(), fallback, supported, secure);
    }

    /** The answer to the current SRV query: its targets in RFC 2782 order, or on to the next name. */
    public Walk srvAnswered(List<SrvRecord> records, RandomGenerator random) {
        SrvQuery asked = srv.get(0);
        List<HostTarget> ordered = Rfc3263.orderSrv(records, asked.transport(), random);
        if (!ordered.isEmpty()) {
            return new Walk(Optional.empty(), List.of(), ordered, fallback, supported, secure);
        }
        return new Walk(Optional.empty(), srv.subList(1, srv.size()), List.of(), fallback, supported, secure);
    }
}
