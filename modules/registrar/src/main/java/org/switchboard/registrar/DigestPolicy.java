package org.switchboard.registrar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.switchboard.sip.auth.Digest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;

/**
 * Which digest challenges a 401 or 407 offers, per realm: the operator's default list, and the domains that opted
 * in to another list. The realm is the AOR's domain (the subscribers file makes it so), and it is the same for a
 * user who has an account and one who has not, so the choice says nothing about which users exist.
 *
 * <p>MD5 alone is the default because real phones give up on a challenge set they do not fully understand:
 * Debian's baresip 1.0 answers a 401 carrying MD5 and SHA-256 challenges with "Function not implemented" and never
 * registers (SoftphoneInteropTest). SHA-256 is for domains whose phones are known to handle it.
 *
 * @param defaults the challenges of every realm without its own entry, in the order they are sent
 * @param byDomain lower-case domain (realm) to its own challenges, in order
 */
public record DigestPolicy(List<Digest.Algorithm> defaults, Map<String, List<Digest.Algorithm>> byDomain) {

    /** MD5 only: what every phone we tried answers. */
    public static final DigestPolicy INTEROPERABLE = of(List.of(Digest.Algorithm.MD5));

    public DigestPolicy {
        defaults = nonEmpty(defaults, "digest-algorithms");
        Map<String, List<Digest.Algorithm>> folded = new LinkedHashMap<>();
        byDomain.forEach((domain, algorithms) -> folded.put(domain.toLowerCase(Locale.ROOT),
                nonEmpty(algorithms, "digest-algorithms-by-domain." + domain)));
        byDomain = Map.copyOf(folded);
    }

    public static DigestPolicy of(List<Digest.Algorithm> defaults) {
        return new DigestPolicy(defaults, Map.of());
    }

    /** The same policy with one domain's own list. */
    public DigestPolicy withDomain(String domain, List<Digest.Algorithm> algorithms) {
        Map<String, List<Digest.Algorithm>> more = new LinkedHashMap<>(byDomain);
        more.put(domain.toLowerCase(Locale.ROOT), algorithms);
        return new DigestPolicy(defaults, more);
    }

    /** The challenges for a realm, in the order the 401/407 lists them. Realms compare case-insensitively. */
    public List<Digest.Algorithm> offeredFor(String realm) {
        return byDomain.getOrDefault(realm.toLowerCase(Locale.ROOT), defaults);
    }

    /** From {@code switchboard.registrar}: {@code digest-algorithms} and {@code digest-algorithms-by-domain}. */
    public static DigestPolicy fromConfig(Config registrar) {
        List<Digest.Algorithm> defaults = algorithms(registrar.getStringList("digest-algorithms"), "digest-algorithms");
        Map<String, List<Digest.Algorithm>> byDomain = new LinkedHashMap<>();
        if (registrar.hasPath("digest-algorithms-by-domain")) {
            // entrySet() would split a quoted domain at its dots into nested paths; the object's own keys do not
            for (Map.Entry<String, ConfigValue> e : registrar.getObject("digest-algorithms-by-domain").entrySet()) {
                String key = "digest-algorithms-by-domain." + e.getKey();
                if (!(e.getValue().unwrapped() instanceof List<?> names)) {
                    throw new IllegalArgumentException("switchboard.registrar." + key + ": a list of algorithms");
                }
                byDomain.put(e.getKey(), algorithms(names.stream().map(String::valueOf).toList(), key));
            }
        }
        return new DigestPolicy(defaults, byDomain);
    }

    private static List<Digest.Algorithm> algorithms(List<String> names, String key) {
        return names.stream()
                .map(name -> Digest.Algorithm.fromWire(name).orElseThrow(() ->
                        new IllegalArgumentException("switchboard.registrar." + key + ": unknown " + name)))
                .toList();
    }

    private static List<Digest.Algorithm> nonEmpty(List<Digest.Algorithm> algorithms, String key) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("switchboard.registrar." + key + ": at least one digest algorithm");
        }
        if (algorithms.stream().distinct().count() != algorithms.size()) {
            throw new IllegalArgumentException("switchboard.registrar." + key + ": an algorithm listed twice");
        }
        return List.copyOf(algorithms);
    }
}
