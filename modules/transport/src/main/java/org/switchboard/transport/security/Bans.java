package org.switchboard.transport.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.LogSafe;
import org.switchboard.transport.api.AuthFailed;

/**
 * Bans a source address that keeps failing digest authentication: more than {@code limit} failures within the
 * sliding {@code window} and every message from it is dropped at the edge for {@code ban-time}. Failures are
 * recorded by the transport node's send-path actor only (one thread); the bans it publishes are read by the Netty
 * threads for every message, without allocation. Trusted peers are never banned.
 */
public final class Bans {
    private static final Logger log = LoggerFactory.getLogger(Bans.class);
    /** Sources whose failures are remembered at once; a flood of failures from ever new addresses cannot grow it. */
    static final int MAX_SOURCES = 100_000;

    private final EdgeSecurity.AuthFailures settings;
    private final TrustedPeers trusted;
    private final LongSupplier nanoClock;
    private final long windowNanos;
    private final long banNanos;
    /** Written by the actor, read by every event loop: ban end, in clock nanos. */
    private final ConcurrentHashMap<InetAddress, Long> banned = new ConcurrentHashMap<>();
    /** Actor-only: the times of each source's recent failures, at most limit + 1 of them. */
    private final Map<InetAddress, ArrayDeque<Long>> failures = new HashMap<>();

    /** A ban just imposed, as logged. */
    public record Ban(String source, String aor, int failures, long windowSeconds, long banSeconds) {
        /** One line fail2ban can match (deploy/fail2ban/switchboard.conf): the source is the only free field before aor. */
        public String logLine() {
            return "SECURITY ban source=" + source + " aor=" + aor + " failures=" + failures + " window="
                    + windowSeconds + "s ban=" + banSeconds + "s";
        }
    }

    public Bans(EdgeSecurity.AuthFailures settings, TrustedPeers trusted, LongSupplier nanoClock) {
        this.settings = settings;
        this.trusted = trusted;
        this.nanoClock = nanoClock;
        this.windowNanos = settings.window().toNanos();
        this.banNanos = settings.banTime().toNanos();
    }

    /** For every inbound message: is its source banned right now? */
    public boolean isBanned(InetAddress source) {
        if (banned.isEmpty()) {
            return false;
        }
        Long until = banned.get(source);
        if (until == null) {
            return false;
        }
        if (nanoClock.getAsLong() - until >= 0) {
            banned.remove(source, until);
            return false;
        }
        return true;
    }

    /** Counts one failure (send-path actor only); the ban it triggers, if any, is logged and returned. */
    public Optional<Ban> record(AuthFailed failed) {
        InetAddress source;
        try {
            source = literal(failed.source().host());
        } catch (UnknownHostException e) {
            log.debug("authentication failure from a source that is not an address: {}", failed.source());
            return Optional.empty();
        }
        if (trusted.contains(source) || isBanned(source)) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        ArrayDeque<Long> times = failures.get(source);
        if (times == null) {
            makeRoom(now);
            times = new ArrayDeque<>();
            failures.put(source, times);
        }
        times.addLast(now);
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
            times.removeFirst();
        }
        if (times.size() <= settings.limit()) {
            return Optional.empty();
        }
        failures.remove(source);
        banned.put(source, now + banNanos);
        Ban ban = new Ban(source.getHostAddress(), safe(failed.aor()), times.size(), settings.window().toSeconds(),
                settings.banTime().toSeconds());
        log.warn("{} aor-failures={}", ban.logLine(), failed.aorFailures());
        return Optional.of(ban);
    }

    /** Sources banned now, or failing (for tests). */
    int sourcesRemembered() {
        return failures.size() + banned.size();
    }

    private void makeRoom(long now) {
        if (failures.size() < MAX_SOURCES) {
            return;
        }
        failures.values().removeIf(t -> t.isEmpty() || now - t.peekLast() >= windowNanos);
        banned.entrySet().removeIf(e -> now - e.getValue() >= 0);
        // still full of sources failing right now (many addresses, or spoofed ones): forget an eighth of them at
        // once, so that this walk over the table happens once per MAX_SOURCES / 8 new sources, not for each
        Iterator<InetAddress> any = failures.keySet().iterator();
        while (failures.size() > MAX_SOURCES - MAX_SOURCES / 8 && any.hasNext()) {
            any.next();
            any.remove();
        }
    }

    /** The AOR comes from the request: see {@link LogSafe}. */
    static String safe(String aor) {
        return LogSafe.text(aor);
    }

    private static InetAddress literal(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.isEmpty() || !(h.indexOf(':') >= 0 || h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            throw new UnknownHostException(host); // never a name lookup on the send path
        }
        return InetAddress.getByName(h);
    }
}
