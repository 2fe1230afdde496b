package org.switchboard.transport.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.switchboard.transport.api.SipTransport;

/**
 * The decisions of RFC 3263 §4 and RFC 2782 over records already fetched: which NAPTR services we can use and in
 * what order, which SRV names to ask, and in what order an SRV set's targets are tried. Pure: the records are
 * given, the random generator too, so every rule is tested with made-up records.
 */
public final class Rfc3263 {
    /** The NAPTR services of RFC 3263 §4.1 and the transport each stands for. */
    private static final Map<String, SipTransport> SIP_SERVICES = Map.of(
            "SIP+D2U", SipTransport.UDP, "SIP+D2T", SipTransport.TCP, "SIPS+D2T", SipTransport.TLS);

    private Rfc3263() {
    }

    /**
     * The SRV names a NAPTR set points at, best first: only flag-S records of the SIP services whose transport we
     * support ({@code sips:} targets only the SIPS service, §4.1), by order, then preference (RFC 3403 §4.1).
     */
    public static List<SrvQuery> srvFromNaptr(List<NaptrRecord> records, Set<SipTransport> supported, boolean secure) {
        return records.stream()
                .filter(r -> r.flags().equalsIgnoreCase("s") && !r.replacement().isEmpty() && !r.replacement().equals("."))
                .filter(r -> transportOf(r).filter(supported::contains)
                        .filter(t -> !secure || t == SipTransport.TLS).isPresent())
                .sorted(Comparator.comparingInt(NaptrRecord::order).thenComparingInt(NaptrRecord::preference))
                .map(r -> new SrvQuery(stripDot(r.replacement()), transportOf(r).orElseThrow()))
                .distinct()
                .toList();
    }

    private static Optional<SipTransport> transportOf(NaptrRecord r) {
        return Optional.ofNullable(SIP_SERVICES.get(r.service().toUpperCase(Locale.ROOT)));
    }

    /**
     * Without NAPTR records (§4.1): an SRV query per transport we support, in our order of preference — UDP, then
     * TCP for {@code sip:}, TLS for {@code sips:}.
     */
    public static List<SrvQuery> srvWithoutNaptr(String host, Set<SipTransport> supported, boolean secure) {
        List<SipTransport> order = secure ? List.of(SipTransport.TLS) : List.of(SipTransport.UDP, SipTransport.TCP);
        return order.stream().filter(supported::contains).map(t -> srvQuery(host, t)).toList();
    }

    /** {@code _sip._udp.host}, {@code _sip._tcp.host}, {@code _sips._tcp.host} (§4.2). */
    public static SrvQuery srvQuery(String host, SipTransport transport) {
        String prefix = switch (transport) {
            case UDP -> "_sip._udp.";
            case TCP -> "_sip._tcp.";
            case TLS -> "_sips._tcp.";
            case WS, WSS -> throw new IllegalArgumentException("no SRV for WebSocket (RFC 7118 §4): " + host);
        };
        return new SrvQuery(prefix + stripDot(host), transport);
    }

    /**
     * RFC 2782's order of an SRV set: lowest priority first; within one priority, a weighted random draw repeated
     * until none is left (records of weight 0 first in the list, so they are drawn rarely but can be). A lone
     * record whose target is "." says there is no such service: no targets.
     */
    public static List<HostTarget> orderSrv(List<SrvRecord> records, SipTransport transport, RandomGenerator random) {
        if (records.size() == 1 && isRoot(records.get(0).target())) {
            return List.of();
        }
        List<SrvRecord> rest = new ArrayList<>(records.stream().filter(r -> !isRoot(r.target()))
                .sorted(Comparator.comparingInt(SrvRecord::priority).thenComparingInt(SrvRecord::weight)).toList());
        List<HostTarget> ordered = new ArrayList<>(rest.size());
        while (!rest.isEmpty()) {
            int priority = rest.get(0).priority();
            List<SrvRecord> group = new ArrayList<>(rest.stream().filter(r -> r.priority() == priority).toList());
            rest.removeAll(group);
            while (!group.isEmpty()) {
                SrvRecord chosen = drawByWeight(group, random);
                group.remove(chosen);
                ordered.add(new HostTarget(transport, stripDot(chosen.target()), chosen.port()));
            }
        }
        return List.copyOf(ordered);
    }

    /** RFC 2782: a random number in [0, sum of weights]; the first record whose running sum reaches it. */
    static SrvRecord drawByWeight(List<SrvRecord> group, RandomGenerator random) {
        int sum = group.stream().mapToInt(SrvRecord::weight).sum();
        int pick = sum == 0 ? 0 : random.nextInt(sum + 1);
        int running = 0;
        for (SrvRecord r : group) { // weight 0 first: sorted so by orderSrv
            running += r.weight();
            if (running >= pick) {
                return r;
            }
        }
        return group.get(group.size() - 1);
    }

    private static boolean isRoot(String name) {
        return name.isEmpty() || name.equals(".");
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
