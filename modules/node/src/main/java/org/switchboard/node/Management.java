package org.switchboard.node;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.switchboard.node.admin.AdminToken;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.management.javadsl.AkkaManagement;

/**
 * Akka Management's HTTP endpoints (/alive, /ready, /cluster/members; bootstrap's contact point) and the admin API
 * on their port, over HTTPS when switchboard.management.tls is on; the address goes into data-dir for the admin CLI.
 */
final class Management {
    private static final Logger log = LoggerFactory.getLogger(Management.class);

    private Management() {
    }

    static void start(ActorSystem<?> system, Config sb, Optional<ManagementTls> tls) throws StartupException {
        if (!sb.getBoolean("management.enabled")) {
            return;
        }
        try {
            akka.http.javadsl.model.Uri uri = AkkaManagement.get(Adapter.toClassic(system))
                    .start(settings -> tls.map(t -> settings.withHttpsConnectionContext(t.httpsContext())).orElse(settings))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            log.info("management endpoints at {}", uri);
            if (sb.getBoolean("admin.enabled")) {
                AdminToken.writeUrl(Path.of(sb.getString("data-dir")), uri.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(1, "interrupted while starting management");
        } catch (Exception e) {
            throw new StartupException(2, "management endpoints cannot start on " + sb.getString("management.effective-host")
                    + ":" + sb.getInt("management.port") + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
