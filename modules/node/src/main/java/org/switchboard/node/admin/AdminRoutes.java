package org.switchboard.node.admin;

import static akka.http.javadsl.server.PathMatchers.segment;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLPeerUnverifiedException;

import akka.actor.ExtendedActorSystem;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.SslSessionInfo;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;

/**
 * The admin API's HTTP routes under {@code /admin/v1} on the management port (docs/admin-api.yaml), loaded by Akka
 * Management from {@code akka.management.http.routes}. Every request needs the bearer token, or a client certificate
 * when the management port asks for them (switchboard.management.tls.client-auth); until the node has started its
 * entities the answer is 503.
 */
public final class AdminRoutes extends AllDirectives implements ManagementRouteProvider {
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private final AdminContext context;

    public AdminRoutes(ExtendedActorSystem system) {
        this.context = AdminContext.get(system);
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return concat(console(), adminApi());
    }

    /**
     * The web console: a static page, its script and style, served without the token (they hold no data; the page
     * asks the API with the token the operator gives it). The policy keeps the page to this origin: no inline
     * script, nothing from elsewhere.
     */
    private Route console() {
        return pathPrefix("console", () -> get(() -> respondWithHeaders(List.<akka.http.javadsl.model.HttpHeader>of(
                        RawHeader.create("Content-Security-Policy", "default-src 'none'; script-src 'self'; "
                                + "style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                                + "form-action 'none'; frame-ancestors 'none'"),
                        RawHeader.create("X-Content-Type-Options", "nosniff"),
                        RawHeader.create("Referrer-Policy", "no-referrer"),
                        RawHeader.create("Cache-Control", "no-cache")),
                () -> concat(
                        pathEndOrSingleSlash(() -> getFromResource("console/index.html")),
                        path("console.js", () -> getFromResource("console/console.js")),
                        path("console.css", () -> getFromResource("console/console.css"))))));
    }

    private Route adminApi() {
        return pathPrefix("admin", () -> pathPrefix("v1", () -> extractRequest(request -> optionalHeaderValueByName(
                "Authorization", authorization -> {
                    Optional<AdminContext.Ready> ready = context.ready();
                    if (ready.isEmpty()) {
                        return complete(response(Reply.error(503, "the node is starting")));
                    }
                    boolean byCertificate = ready.get().clientCertificatesAdmit() && hasClientCertificate(request);
                    if (!byCertificate && !ready.get().token().admits(authorization)) {
                        return respondWithHeader(WWWAuthenticate.create(HttpChallenge.createOAuth2("switchboard")),
                                () -> complete(response(Reply.error(401, "a valid bearer token is needed"))));
                    }
                    return withSizeLimit(MAX_BODY, () -> api(ready.get().api()));
                }))));
    }

    /**
     * Whether the connection's TLS handshake accepted a client certificate: the management port trusts only its
     * client CA for clients, so a certificate there is one that CA issued.
     */
    private static boolean hasClientCertificate(HttpRequest request) {
        Optional<SslSessionInfo> tls = request.getAttribute(AttributeKeys.sslSession);
        if (tls.isEmpty()) {
            return false;
        }
        try {
            return tls.get().getSession().getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private Route api(AdminApi api) {
        return concat(
                pathPrefix("subscribers", () -> concat(
                        path("import", () -> post(() -> body(api::importCsv))),
                        path("export", () -> get(() -> reply(api::exportCsv))),
                        pathPrefix(segment(), aor -> concat(
                                pathEnd(() -> concat(
                                        get(() -> reply(() -> api.subscriber(aor))),
                                        put(() -> body(b -> api.putSubscriber(aor, b))),
                                        delete(() -> reply(() -> api.deleteSubscriber(aor))))),
                                path("disable", () -> post(() -> reply(() -> api.setEnabled(aor, false)))),
                                path("enable", () -> post(() -> reply(() -> api.setEnabled(aor, true)))),
                                path("forwarding", () -> put(() -> body(b -> api.setForwarding(aor, b)))),
                                path("limits", () -> put(() -> body(b -> api.setLimits(aor, b)))))))),
                pathPrefix("registrations", () -> concat(
                        pathEnd(() -> get(() -> parameterOptional("search", search -> search.isPresent()
                                ? parameterOptional("limit", limit -> reply(() -> api.searchRegistrations(search.get(),
                                        limit.map(AdminRoutes::limit).orElse(50))))
                                : reply(api::registrationCounts)))),
                        path(segment(), aor -> concat(
                                get(() -> reply(() -> api.registrations(aor))),
                                delete(() -> parameterOptional("contact",
                                        contact -> reply(() -> api.removeBindings(aor, contact)))))))),
                pathPrefix("calls", () -> concat(
                        pathEnd(() -> get(() -> parameterOptional("limit", limit ->
                                reply(() -> api.calls(limit.map(AdminRoutes::limit).orElse(1000)))))),
                        path(segment(), callId -> concat(
                                get(() -> reply(() -> api.call(callId))),
                                delete(() -> reply(() -> api.hangUp(callId))))))),
                path("cdrs", () -> get(() -> parameterOptional("from", from -> parameterOptional("to",
                        to -> completeWithFuture(CdrRoute.respond(api.cdrs(), from, to)))))),
                path("cluster", () -> get(() -> reply(api::cluster))),
                path("activity", () -> get(() -> reply(api::activity))),
                complete(response(Reply.error(404, "no such admin resource"))));
    }

    private Route reply(Supplier<CompletionStage<Reply>> operation) {
        return completeWithFuture(operation.get().thenApply(AdminRoutes::response));
    }

    private Route body(Function<String, CompletionStage<Reply>> operation) {
        return entity(Unmarshaller.entityToString(), text -> reply(() -> operation.apply(text)));
    }

    private static int limit(String text) {
        try {
            return Math.max(0, Math.min(100_000, Integer.parseInt(text)));
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    static HttpResponse response(Reply r) {
        HttpResponse response = HttpResponse.create().withStatus(StatusCodes.get(r.status()));
        if (r.status() == 204) {
            return response;
        }
        ContentType type = r.contentType().equals(Reply.CSV) ? ContentTypes.TEXT_CSV_UTF8 : ContentTypes.APPLICATION_JSON;
        return response.withEntity(HttpEntities.create(type, r.body()));
    }
}
