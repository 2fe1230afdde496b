package org.switchboard.node;

import java.net.URL;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;

/**
 * switchboard.logging.format: "text" keeps logback.xml's lines; "json" loads logback-json.xml in its place, one JSON
 * object per line for a log shipper. Applied as soon as the configuration is read, before anything else logs much.
 * An operator's own -Dlogback.configurationFile is left alone.
 */
final class LogFormat {
    private LogFormat() {
    }

    static void apply(String format) throws StartupException {
        switch (format) {
            case "text" -> {
                // logback.xml, loaded by logback itself
            }
            case "json" -> {
                if (System.getProperty("logback.configurationFile") == null) {
                    load("logback-json.xml");
                }
            }
            default -> throw new StartupException(2, "switchboard.logging.format must be text or json, not '" + format + "'");
        }
    }

    private static void load(String resource) throws StartupException {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration rules
        }
        URL url = LogFormat.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new StartupException(1, resource + " is missing from the class path");
        }
        try {
            context.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(url);
        } catch (JoranException e) {
            throw new StartupException(1, "cannot configure logging from " + resource + ": " + e.getMessage());
        }
    }
}
