package org.switchboard.transport.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.SipTransport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Resolves a SIP destination's host name to its ordered targets (RFC 3263), asynchronously, on an event loop of its
 * own: no thread that sends or receives SIP ever waits for DNS. The order is {@link Walk}'s; this class only asks.
 * A/AAAA answers are cached by Netty's resolver, NAPTR and SRV answers (which it does not cache) here, both for
 * their TTL.
 */
public final class SipResolver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipResolver.class);
    /** The transports this node can send on: TLS is not offered yet (never downgraded to TCP). */
    static final Set<SipTransport> SUPPORTED = Set.of(SipTransport.UDP, SipTransport.TCP);
    /** How long "no such record" is believed, when the answer carries no TTL of its own. */
    private static final long NEGATIVE_TTL_MILLIS = 30_000;
    private static final int MAX_CACHED = 10_000;

    private record CacheKey(String name, DnsRecordType type) {
    }

    private record Cached(List<?> records, long until) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final DnsNameResolver dns;
    private final Map<CacheKey, Cached> cache = new HashMap<>(); // the loop's only

    /** @param ipv6 whether the node sends over IPv6 (its SIP address is one); else only A records are asked */
    public SipResolver(DnsSettings settings, boolean ipv6) {
        DnsNameResolverBuilder b = new DnsNameResolverBuilder(loop)
                .datagramChannelType(NioDatagramChannel.class)
                .queryTimeoutMillis(settings.timeout().toMillis())
                .resolvedAddressTypes(ipv6 ? ResolvedAddressTypes.IPV6_PREFERRED : ResolvedAddressTypes.IPV4_ONLY)
                // SIP URIs name fully qualified hosts: no resolv.conf search list appended to them
                .searchDomains(List.of())
                .nameServerProvider(settings.servers().isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                        : new SequentialDnsServerAddressStreamProvider(settings.servers()));
        this.dns = b.build();
    }

    /**
     * For connections this node opens to a host name (TLS peers, whose NAPTR/SRV is not walked here): A/AAAA looked
     * up asynchronously on the connecting channel's own event loop, with the same servers, never by the JDK's
     * blocking resolver.
     */
    public static io.netty.resolver.dns.DnsAddressResolverGroup forConnections(DnsSettings settings) {
        return new io.netty.resolver.dns.DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(NioDatagramChannel.class)
                .queryTimeoutMillis(settings.timeout().toMillis())
                .searchDomains(List.of())
                .nameServerProvider(settings.servers().isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                        : new SequentialDnsServerAddressStreamProvider(settings.servers())));
    }

    /** The loop every lookup completes on. */
    public EventLoop loop() {
        return loop;
    }

    /** The destination's targets in RFC 3263 order; empty if nothing resolved. Completes on {@link #loop()}. */
    public Future<List<Target>> resolve(Destination d) {
        Promise<List<Target>> promise = loop.newPromise();
        loop.execute(() -> step(Walk.start(d, SUPPORTED), promise));
        return promise;
    }

    private void step(Walk walk, Promise<List<Target>> promise) {
        Walk.Step next = walk.next();
        if (next instanceof Walk.AskNaptr ask) {
            records(ask.name(), DnsRecordType.NAPTR, RecordDecoding::naptr)
                    .addListener(f -> step(walk.naptrAnswered(answer(f)), promise));
        } else if (next instanceof Walk.AskSrv ask) {
            records(ask.query().name(), DnsRecordType.SRV, RecordDecoding::srv)
                    .addListener(f -> step(walk.srvAnswered(answer(f), ThreadLocalRandom.current()), promise));
        } else {
            addresses(((Walk.ResolveHosts) next).hosts(), promise);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> answer(Future<?> f) {
        return f.isSuccess() ? (List<T>) f.getNow() : List.of();
    }

    /** The records of one type, decoded; an empty list when there are none or the query failed. */
    private <T> Future<List<T>> records(String name, DnsRecordType type, Function<DnsRawRecord, T> decode) {
        CacheKey key = new CacheKey(name.toLowerCase(java.util.Locale.ROOT), type);
        long now = System.currentTimeMillis();
        Cached hit = cache.get(key);
        if (hit != null && hit.until() > now) {
            @SuppressWarnings("unchecked")
            List<T> records = (List<T>) hit.records();
            return loop.newSucceededFuture(records);
        }
        Promise<List<T>> result = loop.newPromise();
        dns.resolveAll(new DefaultDnsQuestion(name, type)).addListener(f -> {
            if (!f.isSuccess()) {
                if (!(f.cause().getCause() instanceof DnsNameResolverTimeoutException)) {
                    remember(key, List.of(), now + NEGATIVE_TTL_MILLIS); // no such name or no such record
                }
                log.debug("{} {}: {}", type, name, f.cause().toString());
                result.setSuccess(List.of());
                return;
            }
            @SuppressWarnings("unchecked")
            List<DnsRecord> answers = (List<DnsRecord>) f.getNow();
            List<T> decoded = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            try {
                for (DnsRecord r : answers) {
                    if (r.type().equals(type) && r instanceof DnsRawRecord raw) {
                        decoded.add(decode.apply(raw));
                        ttl = Math.min(ttl, r.timeToLive());
                    }
                }
            } catch (RuntimeException malformed) {
                log.info("malformed {} answer for {}: {}", type, name, malformed.toString());
                decoded.clear();
            } finally {
                answers.forEach(ReferenceCountUtil::release);
            }
            remember(key, List.copyOf(decoded), decoded.isEmpty() ? now + NEGATIVE_TTL_MILLIS
                    : now + TimeUnit.SECONDS.toMillis(ttl));
            result.setSuccess(List.copyOf(decoded));
        });
        return result;
    }

    private void remember(CacheKey key, List<?> records, long until) {
        if (cache.size() >= MAX_CACHED) {
            long now = System.currentTimeMillis();
            cache.values().removeIf(c -> c.until() <= now);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(key, new Cached(records, until));
    }

    /** Each host's addresses, in the hosts' order: one target per address. */
    private void addresses(List<HostTarget> hosts, Promise<List<Target>> promise) {
        List<List<Target>> perHost = new ArrayList<>(hosts.size());
        int[] pending = {hosts.size()};
        for (int i = 0; i < hosts.size(); i++) {
            perHost.add(List.of());
            HostTarget h = hosts.get(i);
            int index = i;
            InetAddress literal = NetUtil.createInetAddressFromIpAddressString(h.host());
            Future<List<InetAddress>> lookup = literal != null ? loop.newSucceededFuture(List.of(literal))
                    : dns.resolveAll(h.host());
            lookup.addListener(f -> {
                if (f.isSuccess()) {
                    perHost.set(index, lookup.getNow().stream()
                            .map(a -> new Target(h.transport(), new InetSocketAddress(a, h.port()))).toList());
                } else {
                    log.debug("A/AAAA {}: {}", h.host(), f.cause().toString());
                }
                if (--pending[0] == 0) {
                    promise.setSuccess(perHost.stream().flatMap(List::stream).distinct().toList());
                }
            });
        }
    }

    @Override
    public void close() {
        loop.execute(dns::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
