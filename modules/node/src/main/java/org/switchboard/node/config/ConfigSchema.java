package org.switchboard.node.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;

/**
 * The keys reference.conf documents under {@code switchboard { }}, and the check of an effective configuration
 * against them: a key it does not document is an error that names the nearest documented one (a misspelled key
 * would otherwise be ignored in silence and its default used), and a value the node cannot read as the kind of its
 * default is an error that names the key. Typesafe Config's own {@code checkValid} does not do either: it ignores
 * keys the reference lacks and lets any string stand for a number, a duration or a boolean.
 * <p>
 * Where the keys are the user's own they are not checked: an object that is empty in reference.conf is a map the
 * user fills (proxy.routes: domain -> URI; registrar.digest-algorithms-by-domain: domain -> list), and a list is a
 * value (trusted peers, seed nodes, tls.sni's objects). Akka's own {@code akka { }} keys are Akka's business.
 */
public final class ConfigSchema {
    public static final String ROOT = "switchboard";
    /** Keys whose default does not tell what they hold. */
    private static final Map<String, Kind> DECLARED = Map.of(
            // a duration, or 0 / off for none
            "switchboard.session.max-call-duration", Kind.DURATION_OR_OFF,
            "switchboard.cluster.down-all-when-unstable", Kind.DURATION_OR_OFF,
            // off or require-with-tls: a word, not a boolean (the node checks which word)
            "switchboard.policy.media-encryption", Kind.STRING,
            // empty by default, a list of { host, certificate, private-key } objects
            "switchboard.sip.tls.sni", Kind.LIST);

    private final Set<String> sections;
    private final Map<String, Kind> leaves;

    private ConfigSchema(Set<String> sections, Map<String, Kind> leaves) {
        this.sections = Collections.unmodifiableSet(sections);
        this.leaves = Collections.unmodifiableMap(leaves);
    }

    /** The schema of the {@code switchboard { }} tree of {@code reference} (reference.conf). */
    public static ConfigSchema of(Config reference) {
        Set<String> sections = new TreeSet<>();
        Map<String, Kind> leaves = new TreeMap<>();
        sections.add(ROOT);
        collect(reference.getObject(ROOT), List.of(ROOT), sections, leaves);
        return new ConfigSchema(sections, leaves);
    }

    private static void collect(ConfigObject object, List<String> path, Set<String> sections, Map<String, Kind> leaves) {
        object.forEach((key, value) -> {
            List<String> keyPath = append(path, key);
            String full = ConfigUtil.joinPath(keyPath);
            if (value instanceof ConfigObject o && !o.isEmpty() && !DECLARED.containsKey(full)) {
                sections.add(full);
                collect(o, keyPath, sections, leaves);
            } else {
                leaves.put(full, DECLARED.getOrDefault(full, Kind.of(value)));
            }
        });
    }

    /** Every documented key that holds a value (not a section), with what it holds. */
    Map<String, Kind> leaves() {
        return leaves;
    }

    /**
     * What is wrong with {@code effective} (the resolved configuration, defaults included), one line per problem,
     * each starting with the file and line of the offending value when known; empty when nothing is.
     */
    public List<String> problems(Config effective) {
        List<String> problems = new ArrayList<>();
        ConfigValue root = effective.root().get(ROOT);
        if (!(root instanceof ConfigObject object)) {
            return List.of(ROOT + " must be a section { ... }");
        }
        walk(object, List.of(ROOT),
                (full, value) -> problems.add(where(value.origin()) + "unknown key " + full + " (did you mean "
                        + nearest(full) + "?)"),
                (full, value) -> problems.add(where(value.origin()) + full + " must be a section { ... }, not "
                        + describe(full, value)));
        leaves.forEach((path, kind) -> {
            if (!effective.hasPathOrNull(path)) {
                return; // a section above it is not an object: said already
            }
            if (effective.getIsNull(path)) {
                problems.add(path + " is null: remove the line to keep its default");
            } else if (!kind.accepts(effective, path)) {
                ConfigValue value = effective.getValue(path);
                problems.add(where(value.origin()) + path + " must be " + kind.expected + ", not "
                        + describe(path, value));
            }
        });
        return List.copyOf(problems);
    }

    /**
     * {@code effective} without the keys this schema does not know: those the node derives for Akka's sake
     * (journal.driver, management.effective-host, ...), so that a printed tree is one the check accepts again.
     */
    public Config withoutUnknownKeys(Config effective) {
        List<String> unknown = new ArrayList<>();
        if (effective.root().get(ROOT) instanceof ConfigObject object) {
            walk(object, List.of(ROOT), (full, value) -> unknown.add(full), (full, value) -> { });
        }
        Config known = effective;
        for (String path : unknown) {
            known = known.withoutPath(path);
        }
        return known;
    }

    /**
     * Walks a user's tree in key order, down the sections of the schema only: {@code unknown} gets each key the
     * schema does not document (not what is under it), {@code notSection} each section given as a value.
     */
    private void walk(ConfigObject object, List<String> path, BiConsumer<String, ConfigValue> unknown,
                      BiConsumer<String, ConfigValue> notSection) {
        new TreeMap<>(object).forEach((key, value) -> {
            List<String> keyPath = append(path, key);
            String full = ConfigUtil.joinPath(keyPath);
            if (sections.contains(full)) {
                if (value instanceof ConfigObject o) {
                    walk(o, keyPath, unknown, notSection);
                } else {
                    notSection.accept(full, value);
                }
            } else if (!leaves.containsKey(full)) {
                unknown.accept(full, value);
            }
        });
    }

    /** The documented key (section or value) closest to {@code path} in edit distance; the shorter on a tie. */
    String nearest(String path) {
        String best = ROOT;
        int bestDistance = Integer.MAX_VALUE;
        for (Set<String> known : List.of(sections, leaves.keySet())) {
            for (String candidate : known) {
                int d = EditDistance.between(path, candidate);
                if (d < bestDistance || (d == bestDistance && candidate.length() < best.length())) {
                    best = candidate;
                    bestDistance = d;
                }
            }
        }
        return best;
    }

    /**
     * Where a value was set, as Typesafe Config says it ({@code /etc/switchboard/node.conf: 12: },
     * {@code system properties: }, {@code command-line flags: }); "" when it does not know.
     */
    static String where(ConfigOrigin origin) {
        String description = origin.description();
        return description.isEmpty() ? "" : description + ": ";
    }

    /** The value as written, short; never a secret's. */
    private static String describe(String path, ConfigValue value) {
        List<String> keys = ConfigUtil.splitPath(path);
        if (Secrets.isSecret(keys.get(keys.size() - 1))) {
            return "a " + value.valueType().name().toLowerCase(Locale.ROOT) + " (not shown: a secret)";
        }
        String text = value.render(ConfigRenderOptions.concise());
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static List<String> append(List<String> path, String key) {
        List<String> longer = new ArrayList<>(path);
        longer.add(key);
        return longer;
    }
}
