package org.switchboard.node.metrics;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import akka.actor.ExtendedActorSystem;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics} on the management port, in Prometheus' text format 0.0.4, loaded by Akka Management from
 * {@code akka.management.http.routes} when {@code switchboard.metrics.enabled}. No token, like /alive and /ready: it
 * holds counts, never a subscriber's name or address. A scrape only reads what the node keeps up to date (counters,
 * and figures refreshed by {@link ClusterGauges}); it never asks the cluster, so scrapes cannot pile up asks.
 */
public final class MetricsRoutes extends AllDirectives implements ManagementRouteProvider {
    /** Prometheus' text exposition format, version 0.0.4: what every Prometheus reads. */
    static final ContentType TEXT_004 = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");
    private final PrometheusMeterRegistry registry;
    /** Scrapes are written off the actors' dispatcher: the JVM's thread figures alone take a few milliseconds. */
    private final Executor blocking;

    public MetricsRoutes(ExtendedActorSystem system) {
        this.registry = MetricsContext.get(system).registry();
        this.blocking = system.dispatchers().lookup("akka.actor.default-blocking-io-dispatcher");
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return path("metrics", () -> get(() -> completeWithFuture(CompletableFuture.supplyAsync(
                () -> HttpResponse.create().withEntity(HttpEntities.create(TEXT_004, registry.scrape().getBytes(StandardCharsets.UTF_8))), blocking))));
    }
}
