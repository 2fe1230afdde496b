package org.switchboard.transport.security;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The caps on accepted stream connections: in total and per remote address, trusted peers exempt (an SBC may
 * hold thousands). Every successful {@link #tryOpen} is paired with one {@link #closed} of the same address.
 */
public final class ConnectionLimits {
    private final int maxTotal;
    private final int maxPerAddress;
    private final TrustedPeers trusted;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxTotal, int maxPerAddress, TrustedPeers trusted) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.trusted = trusted;
    }

    /** Counts the connection in, or says no (the caller closes it and does not call {@link #closed}). */
    public boolean tryOpen(InetAddress remote) {
        if (trusted.contains(remote)) {
            return true;
        }
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        boolean[] admitted = {false};
        perAddress.compute(remote, (a, n) -> {
            int count = n == null ? 0 : n;
            admitted[0] = count < maxPerAddress;
            return admitted[0] ? count + 1 : (n == null ? null : n);
        });
        if (!admitted[0]) {
            total.decrementAndGet();
        }
        return admitted[0];
    }

    public void closed(InetAddress remote) {
        if (trusted.contains(remote)) {
            return;
        }
        total.decrementAndGet();
        perAddress.computeIfPresent(remote, (a, n) -> n <= 1 ? null : n - 1);
    }

    public int open() {
        return total.get();
    }
}
