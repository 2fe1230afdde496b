package org.switchboard.admin.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The admin API over the JDK's HttpClient. A 2xx answer is returned as its body; anything else becomes an
 * {@link AdminException} with the node's own {@code error} text and the status, and a node that cannot be reached
 * one that names the URL and where it came from. The token goes only into the Authorization header, which
 * nothing here prints or logs.
 */
final class NodeClient {
    static final String API = "/admin/v1";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than the node's own ask timeouts (it answers 503 itself when the cluster is slow). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** An import of a large file is applied line by line before the node answers. */
    static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(10);

    private final Target target;
    private final HttpClient http;

    NodeClient(Target target) {
        this.target = target;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        target.tls().context().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    Target target() {
        return target;
    }

    /** One path segment (an AOR, a Call-ID) percent-encoded: {@code alice@example.com} becomes {@code alice%40example.com}. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    String get(String path) {
        return send(request(path).GET(), path, REQUEST_TIMEOUT);
    }

    String delete(String path) {
        return send(request(path).DELETE(), path, REQUEST_TIMEOUT);
    }

    String post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()), path, REQUEST_TIMEOUT);
    }

    String put(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.compact(body), StandardCharsets.UTF_8)), path, REQUEST_TIMEOUT);
    }

    String postCsv(String path, String csv) {
        return send(request(path).header("Content-Type", "text/csv; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)), path, IMPORT_TIMEOUT);
    }

    /**
     * A GET whose answer may be large (a CSV export): its body is handed to {@code sink} as it arrives, never held
     * whole. An error answer is read (it is small) and thrown like {@link #get}'s.
     */
    void download(String path, BodySink sink) {
        HttpRequest request = request(path).GET().timeout(IMPORT_TIMEOUT).build();
        HttpResponse<java.io.InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer within " + IMPORT_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused (is the node running, and is that its management port?)");
        } catch (IOException e) {
            throw unreachable(Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminException.refused("interrupted");
        }
        try (java.io.InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw AdminException.refused(refusal(response.statusCode(),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8)));
            }
            sink.accept(body);
        } catch (IOException e) {
            throw AdminException.refused("the answer broke off: " + Optional.ofNullable(e.getMessage())
                    .orElse(e.getClass().getSimpleName()));
        }
    }

    /** Where a download's body goes. */
    interface BodySink {
        void accept(java.io.InputStream body) throws IOException;
    }

    private HttpRequest.Builder request(String path) {
        String base = target.url().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + API + path))
                .header("Accept", "application/json, text/csv");
        target.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request;
    }

    private String send(HttpRequest.Builder builder, String path, Duration timeout) {
        HttpRequest request = builder.timeout(timeout).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused (is the node running, and is that its management port?)");
        } catch (SSLException e) {
            throw unreachable("TLS: " + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName())
                    + " (--cacert names the CA of the node's certificate; --cert and --key the client's)");
        } catch (IOException e) {
            throw unreachable(Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminException.refused("interrupted");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        throw AdminException.refused(refusal(status, response.body()));
    }

    /** "no such subscriber alice@example.com (404)": the node's {@code error}, or its bare status when the body has none. */
    private String refusal(int status, String body) {
        String message = Json.errorText(body).orElse(status == 401 ? "unauthorized" : "the node answered " + status);
        String line = message + " (" + status + ")";
        if (status == 401 || status == 403) {
            line += "; the token came from " + target.tokenSource();
        }
        return line;
    }

    private AdminException unreachable(String why) {
        return AdminException.refused("cannot reach the node at " + target.url() + " (from " + target.urlSource()
                + "): " + why);
    }
}
