package org.switchboard.node.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;

/**
 * A SIP-over-WebSocket client for tests, on the JDK's own WebSocket client (java.net.http): each SIP message is one
 * text frame, both ways (RFC 7118 §5). What arrives waits in an inbox; {@link #await} takes the first message that
 * matches, with a deadline.
 */
final class WsSipClient implements AutoCloseable {
    private final WebSocket socket;
    /** Every message received and not yet taken, as text: one the parser refuses is kept too. */
    private final List<String> inbox = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private WsSipClient(URI uri, List<String> subprotocols) {
        Listener listener = new Listener();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        this.socket = builder.buildAsync(uri, listener).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Opens a connection asking for these subprotocols; fails (CompletionException) when the handshake does. */
    static WsSipClient connect(URI uri, String... subprotocols) {
        return new WsSipClient(uri, List.of(subprotocols));
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(String message) {
        socket.sendText(message, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The first message received (and not yet taken) that parses and matches, waited for up to {@code timeout}. */
    SipMessage await(String what, Duration timeout, Predicate<SipMessage> matches) {
        return parse(awaitText(what, timeout, text -> parse(text).filter(matches).isPresent())).orElseThrow();
    }

    /** The first message received (and not yet taken) whose text matches, waited for up to {@code timeout}. */
    String awaitText(String what, Duration timeout, Predicate<String> matches) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inbox) {
            Optional<String> found;
            while ((found = inbox.stream().filter(matches).findFirst()).isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no " + what + " over WebSocket in " + timeout.toSeconds() + " s; inbox: "
                            + inbox.stream().map(m -> m.lines().findFirst().orElse("")).toList()
                            + (closed.isDone() ? " (closed)" : ""));
                }
                try {
                    inbox.wait(left);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            inbox.remove(found.get());
            return found.get();
        }
    }

    private static Optional<SipMessage> parse(String text) {
        return SipParser.parse(text.getBytes(StandardCharsets.UTF_8)) instanceof ParseResult.Parsed p
                ? Optional.of(p.message()) : Optional.empty();
    }

    /** Whether nothing arrived matching within {@code quiet}. */
    boolean nothing(Duration quiet, Predicate<String> matches) {
        try {
            awaitText("", quiet, matches);
            return false;
        } catch (AssertionError none) {
            return true;
        }
    }

    boolean isClosed() {
        return closed.isDone() || socket.isInputClosed();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                synchronized (inbox) {
                    inbox.add(text.toString());
                    inbox.notifyAll();
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }
}
