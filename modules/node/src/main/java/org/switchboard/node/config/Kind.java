package org.switchboard.node.config;

import java.util.Locale;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

/**
 * What a key of reference.conf holds, read off its default: the check a user's value must pass is the getter the
 * node reads it with (getInt, getDuration, ...), so that a value accepted here is one the node can read.
 */
enum Kind {
    WHOLE_NUMBER("a whole number"),
    NUMBER("a number"),
    BOOLEAN("on or off"),
    DURATION("a duration such as 500ms, 30s or 12h"),
    /** A duration, or 0 / off for none (switchboard.session.max-call-duration). */
    DURATION_OR_OFF("a duration such as 90m, or off"),
    SIZE("a size in bytes such as 65536 or 64KiB"),
    STRING("a string"),
    STRING_LIST("a list of strings such as [\"a\", \"b\"]"),
    /** A list whose elements are the user's own objects (e.g. switchboard.sip.tls.sni). */
    LIST("a list"),
    /** An object whose keys are the user's own (e.g. switchboard.proxy.routes: domain -> URI). */
    MAP("an object { key = value, ... }");

    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "on", "off", "yes", "no");

    final String expected;

    Kind(String expected) {
        this.expected = expected;
    }

    /** The kind of a default: a number, a word that reads as a boolean, a duration, a size, else a string. */
    static Kind of(ConfigValue reference) {
        ConfigValueType type = reference.valueType();
        switch (type) {
            case NUMBER:
                Object n = reference.unwrapped();
                return n instanceof Integer || n instanceof Long ? WHOLE_NUMBER : NUMBER;
            case BOOLEAN:
                return BOOLEAN;
            case LIST:
                // an empty default is a list the user fills with strings (addresses, domains, URIs); lists of
                // objects are named in ConfigSchema
                return ((ConfigList) reference).stream()
                        .allMatch(e -> e.valueType() == ConfigValueType.STRING) ? STRING_LIST : LIST;
            case OBJECT:
                return MAP;
            case STRING:
                String s = (String) reference.unwrapped();
                if (BOOLEAN_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
                    return BOOLEAN;
                }
                Config one = ConfigFactory.empty().withValue("v", reference);
                if (reads(() -> one.getDuration("v"))) {
                    return DURATION;
                }
                if (reads(() -> one.getBytes("v"))) {
                    return SIZE;
                }
                return STRING;
            default:
                return STRING;
        }
    }

    /** Whether {@code path} of {@code c} reads as this kind; false also when it is missing or null. */
    boolean accepts(Config c, String path) {
        return reads(() -> {
            switch (this) {
                case WHOLE_NUMBER -> c.getLong(path);
                case NUMBER -> c.getDouble(path);
                case BOOLEAN -> c.getBoolean(path);
                case DURATION -> c.getDuration(path);
                case DURATION_OR_OFF -> {
                    if (!isOff(c, path)) {
                        c.getDuration(path);
                    }
                }
                case SIZE -> c.getBytes(path);
                case STRING -> c.getString(path);
                case STRING_LIST -> c.getStringList(path);
                case LIST -> c.getList(path);
                case MAP -> c.getObject(path);
                default -> throw new IllegalStateException(name());
            }
        });
    }

    private static boolean isOff(Config c, String path) {
        ConfigValue v = c.getValue(path);
        return (v.valueType() == ConfigValueType.BOOLEAN && !c.getBoolean(path))
                || (v.valueType() == ConfigValueType.STRING && c.getString(path).equalsIgnoreCase("off"));
    }

    private static boolean reads(Runnable getter) {
        try {
            getter.run();
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }
}
