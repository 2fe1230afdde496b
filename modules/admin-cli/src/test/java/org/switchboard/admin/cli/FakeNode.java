package org.switchboard.admin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A node's admin API as far as the CLI can tell: a real HTTP server on loopback that records every request as it
 * arrived (raw, still encoded path) and answers what the test set for "METHOD raw-path", else 404 with the API's
 * error JSON.
 */
final class FakeNode implements AutoCloseable, AfterEachCallback {
    record Request(String method, String rawPath, Optional<String> rawQuery, Optional<String> authorization,
                   Optional<String> contentType, String body) {
    }

    record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    /** A node for one test, as a field with {@code @RegisterExtension}: it stops after the test. */
    static FakeNode started() {
        try {
            return new FakeNode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    FakeNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeNode answer(String method, String rawPath, int status, String json) {
        answers.put(method + " " + rawPath, new Answer(status, "application/json", json));
        return this;
    }

    FakeNode answerCsv(String method, String rawPath, String csv) {
        answers.put(method + " " + rawPath, new Answer(200, "text/csv", csv));
        return this;
    }

    /** 204 No Content, as the API answers a change. */
    FakeNode accept(String method, String rawPath) {
        answers.put(method + " " + rawPath, new Answer(204, "", ""));
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The only request the command made; fails the test if it made more or none. */
    Request onlyRequest() {
        List<Request> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected one request, got " + all);
        }
        return all.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            synchronized (this) {
                requests.add(new Request(exchange.getRequestMethod(), path,
                        Optional.ofNullable(exchange.getRequestURI().getRawQuery()),
                        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")), body));
            }
            Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
                    new Answer(404, "application/json", "{\"error\":\"no route " + path + " in this test\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            if (!answer.contentType().isEmpty()) {
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
