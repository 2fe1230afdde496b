package org.switchboard.node.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.cdr.CdrExport;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;

/**
 * {@code GET /admin/v1/cdrs?from=ISO-8601&to=ISO-8601}: the period's call detail records as CSV, streamed (chunked),
 * so that no period is too long for the node's memory. A missing or unreadable bound, or an empty period, is a 400.
 */
final class CdrRoute {
    private static final Logger log = LoggerFactory.getLogger(CdrRoute.class);

    private CdrRoute() {
    }

    static CompletionStage<HttpResponse> respond(CdrExport export, Optional<String> from, Optional<String> to) {
        Optional<Instant> start = from.flatMap(CdrRoute::instant);
        Optional<Instant> end = to.flatMap(CdrRoute::instant);
        if (start.isEmpty() || end.isEmpty()) {
            return error(400, "from and to are needed, as ISO-8601 times with a zone (2026-12-01T00:00:00Z)");
        }
        if (!start.get().isBefore(end.get())) {
            return error(400, "from must be before to");
        }
        return export.csv(start.get(), end.get())
                .thenApply(csv -> HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.TEXT_CSV_UTF8, csv)))
                .exceptionally(e -> {
                    log.warn("CDR export failed: {}", e.toString());
                    return AdminRoutes.response(Reply.error(503, "the CDRs cannot be read now: "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())));
                });
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static CompletionStage<HttpResponse> error(int status, String message) {
        return CompletableFuture.completedFuture(AdminRoutes.response(Reply.error(status, message)));
    }
}
