package org.switchboard.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/**
 * Typesafe Config's error as one line for the operator. A syntax error quotes the text it stumbled on: when the
 * line it points at sets a secret, only the place is told, so that a broken line never prints the password on it.
 * Other errors (an unset ${VAR}, a wrong type) name keys and substitutions, never values.
 */
public final class ConfigErrors {
    private ConfigErrors() {
    }

    public static String describe(ConfigException e) {
        ConfigOrigin origin = e.origin();
        // an unset ${VAR} is a Parse exception too, but its message names the variable, which the operator needs
        boolean syntax = e instanceof ConfigException.Parse && !(e instanceof ConfigException.UnresolvedSubstitution);
        if (syntax && origin != null && origin.filename() != null && origin.lineNumber() > 0
                && holdsSecret(Path.of(origin.filename()), origin.lineNumber())) {
            return ConfigSchema.where(origin) + "invalid configuration (not shown: the line sets a secret)";
        }
        return e.getMessage();
    }

    private static boolean holdsSecret(Path file, int lineNumber) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            // a value may span lines (a triple-quoted string): the line before and after are looked at too
            for (int n = Math.max(1, lineNumber - 1); n <= Math.min(lines.size(), lineNumber + 1); n++) {
                if (Secrets.mentionsSecret(lines.get(n - 1))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // cannot tell: say less rather than more
        }
    }
}
