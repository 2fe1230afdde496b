package org.switchboard.admin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The project version, written into version.properties by the build (resource filtering). */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {"switchboard-admin " + properties.getProperty("version", "(unknown version)"),
            "admin API v1 (docs/admin-api.yaml)"};
    }
}
