package org.switchboard.node.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports free for both UDP and TCP at the moment of asking, each handed out once per test JVM. They come
 * from below the kernel's ephemeral range (32768 and up on Linux): a port the kernel picks for an outgoing
 * connection or a port-0 bind (a node's remoting, a client socket) can never take one between the check here and
 * the node binding it.
 */
final class FreePorts {
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST));

    private FreePorts() {
    }

    static int udpAndTcp() {
        for (int attempt = 0; attempt < LAST - FIRST; attempt++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement() - FIRST, LAST - FIRST);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port for UDP and TCP in " + FIRST + "-" + LAST);
    }

    private static boolean free(int port) {
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            return tcp.getLocalPort() == port && udp.getLocalPort() == port;
        } catch (IOException taken) {
            return false;
        }
    }
}
