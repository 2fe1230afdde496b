package org.switchboard.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;

/** The effective {@code switchboard { }} tree as HOCON, keys sorted, without comments, every secret masked. */
public final class ConfigPrinter {
    private static final ConfigRenderOptions HOCON = ConfigRenderOptions.defaults()
            .setComments(false).setOriginComments(false).setJson(false).setFormatted(true);

    private ConfigPrinter() {
    }

    public static String render(Config config) {
        Config masked = ConfigFactory.empty()
                .withValue(ConfigSchema.ROOT, Secrets.mask(ConfigSchema.ROOT, config.getValue(ConfigSchema.ROOT)));
        return masked.root().render(HOCON);
    }
}
