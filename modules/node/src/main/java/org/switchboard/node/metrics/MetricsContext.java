package org.switchboard.node.metrics;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's one meter registry, an Akka extension: Akka Management creates {@link MetricsRoutes} by reflection
 * before the node has built anything, and the route and the node's parts meet here. Meters are added as the node
 * starts them; a scrape before then simply shows fewer.
 */
public final class MetricsContext implements Extension {
    private static final Id ID = new Id();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public static MetricsContext get(ActorSystem system) {
        return ID.get(system);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private static final class Id extends AbstractExtensionId<MetricsContext> {
        @Override
        public MetricsContext createExtension(ExtendedActorSystem system) {
            return new MetricsContext();
        }
    }
}
