package org.switchboard.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

/**
 * Which settings are secrets, and the configuration with them masked: a key whose name says password, secret,
 * token or private key (key-store passwords included) is never printed, whatever it holds, nor are the
 * credentials a JDBC URL may carry.
 */
public final class Secrets {
    public static final String MASK = "********";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|passphrase|secret|token|private[-_.]?key|key[-_.]?store[-_.]?pass).*");
    /** {@code password=...} in a URL's query or a JDBC URL's properties. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)((?:password|passwd|pwd)=)[^&;]*");
    /** {@code scheme://user:password@host}. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(://[^/@:]*):[^/@]*@");

    private Secrets() {
    }

    /** Whether a key (its last path element) names a secret. */
    public static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** Whether a line of a configuration file sets or mentions a secret key. */
    static boolean mentionsSecret(String line) {
        return SECRET_KEY.matcher(line).matches();
    }

    /** {@code value} with every secret in it replaced by {@link #MASK}; {@code key} is the key it is set at. */
    public static ConfigValue mask(String key, ConfigValue value) {
        if (isSecret(key)) {
            return ConfigValueFactory.fromAnyRef(MASK);
        }
        if (value instanceof ConfigObject object) {
            Map<String, ConfigValue> masked = new TreeMap<>();
            object.forEach((k, v) -> masked.put(k, mask(k, v)));
            return ConfigValueFactory.fromMap(masked);
        }
        if (value instanceof ConfigList list) {
            List<ConfigValue> masked = new ArrayList<>();
            list.forEach(v -> masked.add(mask(key, v)));
            return ConfigValueFactory.fromIterable(masked);
        }
        if (value.valueType() == ConfigValueType.STRING) {
            return ConfigValueFactory.fromAnyRef(maskUrl((String) value.unwrapped()));
        }
        return value;
    }

    /** A URL's password (user info or parameter) masked; other text as it is. */
    static String maskUrl(String text) {
        String masked = URL_USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
        return URL_PASSWORD.matcher(masked).replaceAll("$1" + MASK);
    }
}
