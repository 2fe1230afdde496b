package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket, JDK's own client: no driver, no
 * library): open a page, evaluate an expression in it, take a screenshot. One tab; the profile is thrown away.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration COMMAND = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path log, WebSocket page) {
        this.process = process;
        this.log = log;
        this.page = page;
    }

    /** Starts Chromium with its profile and log in {@code work}, a window of {@code width} x {@code height}. */
    static HeadlessChromium start(Path work, int width, int height) {
        Path profile = work.resolve("chromium-profile");
        Path log = work.resolve("chromium.log");
        Process p;
        try {
            Files.createDirectories(profile);
            p = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                    "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
                    "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                    "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start chromium (apt-get install chromium)", e);
        }
        try {
            String[] browser = new String[1];
            Await.until("Chromium's DevTools endpoint", Duration.ofSeconds(30), () -> {
                Matcher m = LISTENING.matcher(Processes.read(log, StandardCharsets.UTF_8));
                browser[0] = m.find() ? m.group(1) : null;
                return browser[0] != null || !p.isAlive();
            }, () -> Processes.read(log, StandardCharsets.UTF_8));
            if (browser[0] == null) {
                throw new AssertionError("chromium ended: " + Processes.read(log, StandardCharsets.UTF_8));
            }
            URI endpoint = URI.create(browser[0]);
            String pageSocket = firstPage(endpoint);
            HeadlessChromium[] self = new HeadlessChromium[1];
            Listener listener = new Listener(message -> self[0].answer(message));
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(pageSocket), listener).get(20, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, log, ws);
            return self[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(p);
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException | RuntimeException | AssertionError e) {
            stop(p);
            throw new AssertionError("cannot reach chromium's page: " + e + "\n"
                    + Processes.read(log, StandardCharsets.UTF_8), e);
        }
    }

    /** The WebSocket of the tab Chromium opened (its /json/list, over plain HTTP on the same port). */
    private static String firstPage(URI browser) throws InterruptedException {
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode target : JSON.readTree(body)) {
                if (target.path("type").asText().equals("page")) {
                    return target.path("webSocketDebuggerUrl").asText();
                }
            }
            throw new AssertionError("chromium has no page: " + body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@code url} in the tab (returns once the navigation started; wait for what the page shows). */
    void open(String url) {
        ObjectNode params = JSON.createObjectNode().put("url", url);
        JsonNode r = call("Page.navigate", params);
        if (r.has("errorText")) {
            throw new AssertionError("cannot open " + url + ": " + r.path("errorText").asText());
        }
    }

    /**
     * The value of a JavaScript expression in the page (a string, number or boolean; missing when it is undefined or
     * threw: a page still loading is no error, the caller waits).
     */
    JsonNode eval(String expression) {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode r = call("Runtime.evaluate", params, true);
        return r.has("exceptionDetails") || r.isMissingNode() ? JSON.missingNode() : r.path("result").path("value");
    }

    /** The page's visible text inside the element with this id ("" when there is none); an SVG's text. */
    String text(String id) {
        return eval("(e => !e ? '' : e instanceof HTMLElement ? e.innerText : e.textContent)(document.getElementById('"
                + id + "'))").asText("");
    }

    /** A PNG of the whole page. */
    void screenshot(Path file) {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chromium's own output, for assertion messages. */
    String log() {
        return Processes.read(log, StandardCharsets.UTF_8);
    }

    private JsonNode call(String method, ObjectNode params) {
        return call(method, params, false);
    }

    /** @param errorIsMissing an error answer (no page context yet) gives a missing node, else it fails */
    private JsonNode call(String method, ObjectNode params, boolean errorIsMissing) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        try {
            page.sendText(message.toString(), true).get(COMMAND.toSeconds(), TimeUnit.SECONDS);
            JsonNode r = answer.get(COMMAND.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error") && errorIsMissing) {
                return JSON.missingNode();
            }
            if (r.has("error")) {
                throw new AssertionError(method + " failed: " + r.path("error"));
            }
            return r.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(method + " had no answer: " + e + "\n" + log(), e);
        } finally {
            waiting.remove(id);
        }
    }

    private void answer(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (m.has("id")) { // events (no id) are not asked for
                CompletableFuture<JsonNode> f = waiting.get(m.path("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        page.abort();
        stop(process);
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        Processes.stop(p);
    }

    /** Puts the frames of each text message together and hands it on. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Consumer<String> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                onMessage.accept(message);
            }
            ws.request(1);
            return null;
        }
    }
}
