package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import com.typesafe.config.Config;

/**
 * {@code deploy/kubernetes/} against the node it deploys: every container runs the image this module's Jib profile
 * builds, and the ports, probes, labels and mounts are the ones the node's own configuration (the ConfigMap's
 * files, loaded as the node loads them) listens on, serves and reads. A changed port, path or image name that the
 * manifests do not follow fails here, not in a cluster.
 */
class KubernetesManifestsTest {
    private static final Path DIR = repositoryRoot().resolve("deploy/kubernetes");
    /** The config file the image's entrypoint passes to --config (Jib profile in pom.xml, deploy/docker/Dockerfile). */
    private static final String IMAGE_CONFIG = "/etc/switchboard/switchboard.conf";

    @TempDir
    Path tmp;

    @Test
    void everyContainerRunsTheImageThisModuleBuilds() throws IOException {
        String image = System.getProperty("switchboard.image");
        assertNotNull(image, "surefire passes switchboard.image (pom.xml)");
        for (String role : List.of("core", "transport")) {
            for (Map<String, Object> c : list(get(yaml(role + ".yaml"), "spec.template.spec.containers"))) {
                assertEquals(image, c.get("image"), role + ".yaml, container " + c.get("name"));
            }
        }
        String name = image.substring(0, image.lastIndexOf(':'));
        String tag = image.substring(image.lastIndexOf(':') + 1);
        List<Map<String, Object>> images = list(yaml("kustomization.yaml").get("images"));
        assertEquals(1, images.size(), "kustomization.yaml images: " + images);
        assertEquals(name, images.get(0).get("name"), "kustomization.yaml renames the image the Deployments name");
        assertEquals(tag, String.valueOf(images.get(0).get("newTag")), "kustomization.yaml's newTag is this version");
    }

    @Test
    void theImageReadsTheConfigurationTheDeploymentsMount() throws IOException {
        String arg = "--config " + IMAGE_CONFIG;
        assertTrue(Files.readString(Path.of("pom.xml")).contains(arg), "the Jib entrypoint passes " + arg);
        assertTrue(Files.readString(repositoryRoot().resolve("deploy/docker/Dockerfile")).contains(arg),
                "the Dockerfile's entrypoint passes " + arg);
        Map<String, Object> configMap = yaml("configmap.yaml");
        for (String role : List.of("core", "transport")) {
            Map<String, Object> pod = get(yaml(role + ".yaml"), "spec.template.spec");
            Map<String, Object> container = list(pod.get("containers")).get(0);
            Map<String, Object> mount = named(list(container.get("volumeMounts")), "config");
            assertEquals(Path.of(IMAGE_CONFIG).getParent().toString(), mount.get("mountPath"), role);
            Map<String, Object> volume = named(list(pod.get("volumes")), "config");
            String configMapName = get(configMap, "metadata.name");
            String mounted = get(volume, "configMap.name");
            assertEquals(configMapName, mounted, role);
            Map<String, String> items = list(get(volume, "configMap.items")).stream()
                    .collect(Collectors.toMap(i -> (String) i.get("key"), i -> (String) i.get("path")));
            assertEquals(Map.of(role + ".conf", "switchboard.conf", "common.conf", "common.conf"), items, role);
            assertTrue(get(configMap, "data") instanceof Map<?, ?> data && data.keySet().containsAll(items.keySet()),
                    "configmap.yaml has " + items.keySet());

            Config node = nodeConfig(role);
            Map<String, Object> tls = named(list(container.get("volumeMounts")), "cluster-tls");
            for (String key : List.of("certificate", "private-key", "ca")) {
                assertEquals(tls.get("mountPath"),
                        Path.of(node.getString("switchboard.security.cluster-tls." + key)).getParent().toString(),
                        role + ": cluster-tls." + key + " lies in the mounted Secret");
            }
        }
    }

    @Test
    void portsProbesAndLabelsAreTheNodesOwn() throws IOException {
        for (String role : List.of("core", "transport")) {
            Config node = nodeConfig(role);
            assertEquals(List.of(role), node.getStringList("switchboard.roles"), role);
            Map<String, Object> pod = get(yaml(role + ".yaml"), "spec.template");
            Map<String, Object> container = list(get(pod, "spec.containers")).get(0);
            Map<String, Map<String, Object>> ports = byName(list(container.get("ports")));

            assertPort(ports, "management", node.getInt("akka.management.http.port"), "TCP", role);
            assertPort(ports, "remoting", node.getInt("akka.remote.artery.canonical.port"), "TCP", role);
            assertEquals("management", node.getString("akka.management.cluster.bootstrap.contact-point-discovery.port-name"),
                    "bootstrap finds contact points by the port name the containers give management");
            if (role.equals("transport")) {
                assertEquals("0.0.0.0", node.getString("switchboard.sip.host"), "SIP listens on the pod's interfaces");
                assertPort(ports, "sip-udp", node.getInt("switchboard.sip.port"), "UDP", role);
                assertPort(ports, "sip-tcp", node.getInt("switchboard.sip.port"), "TCP", role);
            } else {
                assertFalse(ports.keySet().stream().anyMatch(p -> p.startsWith("sip")), "core pods have no SIP port");
            }

            String alive = "/" + node.getString("akka.management.health-checks.liveness-path");
            String ready = "/" + node.getString("akka.management.health-checks.readiness-path");
            assertEquals("", node.getString("akka.management.http.base-path"), "probe paths have no prefix");
            // Prometheus finds the metrics by the pod's annotations: the management port, /metrics
            Map<String, Object> annotations = get(pod, "metadata.annotations");
            assertEquals("true", annotations.get("prometheus.io/scrape"), role);
            assertEquals(Integer.toString(node.getInt("akka.management.http.port")),
                    annotations.get("prometheus.io/port"), role + ": prometheus.io/port is the management port");
            assertEquals("/metrics", annotations.get("prometheus.io/path"), role);
            assertTrue(node.getBoolean("switchboard.metrics.enabled"), role + ": the pods export metrics");

            assertProbe(container, "startupProbe", alive, role);
            assertProbe(container, "livenessProbe", alive, role);
            assertProbe(container, "readinessProbe", ready, role);

            // Cluster Bootstrap selects pods with pod-label-selector, filled in with its service-name
            assertEquals("kubernetes-api", node.getString("switchboard.cluster.bootstrap.discovery-method"), role);
            assertTrue(node.getBoolean("switchboard.cluster.bootstrap.enabled"), role);
            String selector = String.format(node.getString("akka.discovery.kubernetes-api.pod-label-selector"),
                    node.getString("switchboard.cluster.bootstrap.service-name"));
            Map<String, Object> labels = get(pod, "metadata.labels");
            assertEquals(selector, "app=" + labels.get("app"), role + ": bootstrap's selector matches the pods");
            assertEquals(role, labels.get("role"));
        }
    }

    @Test
    void servicesAndNetworkPolicyReachThePortsTheContainersName() throws IOException {
        Map<String, Object> core = get(yaml("core.yaml"), "spec.template");
        Map<String, Object> transport = get(yaml("transport.yaml"), "spec.template");

        Map<String, Object> sip = yaml("service-sip.yaml");
        assertSelects(get(sip, "spec.selector"), transport, "service-sip selects transport pods");
        assertFalse(selects(get(sip, "spec.selector"), core), "service-sip does not select core pods");
        assertTargets(list(get(sip, "spec.ports")), transport, "service-sip");

        Map<String, Object> management = yaml("service-management.yaml");
        for (Map<String, Object> pods : List.of(core, transport)) {
            assertSelects(get(management, "spec.selector"), pods, "the headless service selects every pod");
            assertTargets(list(get(management, "spec.ports")), pods, "service-management");
        }

        Config node = nodeConfig("transport");
        Set<String> fromPods = list(get(yaml("networkpolicy.yaml"), "spec.ingress")).stream()
                .filter(rule -> rule.containsKey("from"))
                .flatMap(rule -> list(rule.get("ports")).stream())
                .map(p -> p.get("port") + "/" + p.get("protocol")).collect(Collectors.toSet());
        assertEquals(Set.of(node.getInt("akka.management.http.port") + "/TCP",
                node.getInt("akka.remote.artery.canonical.port") + "/TCP"), fromPods, "networkpolicy: from the pods");
        Set<String> fromAnywhere = list(get(yaml("networkpolicy.yaml"), "spec.ingress")).stream()
                .filter(rule -> !rule.containsKey("from"))
                .flatMap(rule -> list(rule.get("ports")).stream())
                .map(p -> p.get("port") + "/" + p.get("protocol")).collect(Collectors.toSet());
        int sipPort = node.getInt("switchboard.sip.port");
        assertEquals(Set.of(sipPort + "/UDP", sipPort + "/TCP"), fromAnywhere, "networkpolicy: SIP from anywhere");
    }

    /**
     * kustomization.yaml applies every manifest of the directory but Jobs (run once, applied by hand when needed),
     * and every document of every file is a Kubernetes object.
     */
    @Test
    void kustomizationListsEveryManifestButJobsAndEveryOneParses() throws IOException {
        Set<String> listed = Set.copyOf(yaml("kustomization.yaml").get("resources") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of());
        Set<String> present;
        try (Stream<Path> files = Files.list(DIR)) {
            present = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).collect(Collectors.toSet());
        }
        assertTrue(present.containsAll(listed), "kustomization.yaml lists only files that exist: " + listed);
        for (String file : present) {
            if (!listed.contains(file)) {
                assertTrue(documents(file).stream().allMatch(d -> "Job".equals(d.get("kind"))),
                        file + " is not in kustomization.yaml's resources, and only a Job may be left out");
            }
        }
        for (String file : present) {
            List<Map<String, Object>> docs = documents(file);
            assertFalse(docs.isEmpty(), file);
            for (Map<String, Object> doc : docs) {
                assertNotNull(doc.get("apiVersion"), file);
                assertNotNull(doc.get("kind"), file);
                assertNotNull(get(doc, "metadata.name"), file);
            }
        }
    }

    /** Every variable a role's configuration requires (${VAR}, not ${?VAR}) is set by its Deployment. */
    @Test
    void everyRequiredVariableOfTheConfigurationIsSetByTheDeployment() throws IOException {
        for (String role : List.of("core", "transport")) {
            Map<String, Object> container = list(get(yaml(role + ".yaml"), "spec.template.spec.containers")).get(0);
            Set<String> set = list(container.get("env")).stream().map(e -> (String) e.get("name"))
                    .collect(Collectors.toSet());
            Map<String, Boolean> used = variables(role);
            assertTrue(used.containsValue(true), role + ": the configuration requires its secrets: " + used);
            used.forEach((name, required) -> assertTrue(!required || set.contains(name),
                    role + ".yaml does not set " + name + ", which its configuration requires: " + set));
        }
    }

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{(\\??)([A-Z_][A-Z0-9_]*)}");

    /** The environment variables a role's ConfigMap files substitute, each with whether it is required. */
    private static Map<String, Boolean> variables(String role) throws IOException {
        Map<String, Object> data = get(yaml("configmap.yaml"), "data");
        Map<String, Boolean> vars = new java.util.TreeMap<>();
        for (String key : List.of("common.conf", role + ".conf")) {
            Matcher m = SUBSTITUTION.matcher((String) data.get(key));
            while (m.find()) {
                vars.merge(m.group(2), m.group(1).isEmpty(), Boolean::logicalOr);
            }
        }
        return vars;
    }

    /**
     * The configuration a pod of this role runs with: its ConfigMap file as /etc/switchboard/switchboard.conf beside
     * common.conf, loaded by {@link NodeConfig} as Main loads it. The environment variables it substitutes (set by
     * the Deployments from Secrets and the Downward API) are defined at the root of the file, which HOCON consults
     * before the environment.
     */
    private Config nodeConfig(String role) throws IOException {
        Map<String, Object> data = get(yaml("configmap.yaml"), "data");
        Path dir = Files.createDirectories(tmp.resolve(role));
        Files.writeString(dir.resolve("common.conf"), (String) data.get("common.conf"));
        List<String> lines = new java.util.ArrayList<>();
        for (String name : variables(role).keySet()) {
            // an address for the pod IP, and for secrets a value long enough to pass the node's checks
            lines.add(name + " = \"" + (name.equals("POD_IP") ? "10.0.0.7" : "manifest-test-value-of-" + name) + "\"");
        }
        lines.add((String) data.get(role + ".conf"));
        Path file = Files.writeString(dir.resolve("switchboard.conf"), String.join("\n", lines));
        try {
            return NodeConfig.load(CommandLine.parse("--config", file.toString()));
        } catch (StartupException e) {
            throw new AssertionError(role + ".conf of configmap.yaml does not load: " + e.getMessage(), e);
        }
    }

    private static void assertPort(Map<String, Map<String, Object>> ports, String name, int number, String protocol,
                                   String role) {
        Map<String, Object> port = ports.get(name);
        assertNotNull(port, role + ": a container port named " + name + " in " + ports.keySet());
        assertEquals(number, port.get("containerPort"), role + ": " + name);
        assertEquals(protocol, port.getOrDefault("protocol", "TCP"), role + ": " + name);
    }

    private static void assertProbe(Map<String, Object> container, String probe, String path, String role) {
        Map<String, Object> get = get(container, probe + ".httpGet");
        assertEquals(path, get.get("path"), role + ": " + probe);
        assertEquals("management", get.get("port"), role + ": " + probe + " asks the management port");
    }

    private static void assertSelects(Map<String, Object> selector, Map<String, Object> template, String what) {
        assertTrue(selects(selector, template), what + ": " + selector);
    }

    private static boolean selects(Map<String, Object> selector, Map<String, Object> template) {
        Map<String, Object> labels = get(template, "metadata.labels");
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** Each Service port's targetPort is a container port of those pods, of the same number and protocol. */
    private static void assertTargets(List<Map<String, Object>> servicePorts, Map<String, Object> template, String what) {
        Map<String, Map<String, Object>> ports = byName(list(list(get(template, "spec.containers")).get(0).get("ports")));
        for (Map<String, Object> sp : servicePorts) {
            Map<String, Object> target = ports.get(String.valueOf(sp.get("targetPort")));
            assertNotNull(target, what + ": targetPort " + sp.get("targetPort") + " among " + ports.keySet());
            assertEquals(sp.get("port"), target.get("containerPort"), what + ": " + sp.get("name"));
            assertEquals(sp.getOrDefault("protocol", "TCP"), target.getOrDefault("protocol", "TCP"), what + ": " + sp.get("name"));
        }
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> items) {
        return items.stream().collect(Collectors.toMap(i -> (String) i.get("name"), i -> i));
    }

    private static Map<String, Object> named(List<Map<String, Object>> items, String name) {
        return items.stream().filter(i -> name.equals(i.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing named " + name + " in " + items));
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        return new Yaml().load(Files.readString(DIR.resolve(file)));
    }

    /** Every document of a file (rbac.yaml and pdb.yaml hold several, separated by ---). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> docs = new java.util.ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(DIR.resolve(file)))) {
            if (doc != null) {
                assertTrue(doc instanceof Map<?, ?>, file + ": a document is a mapping");
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    /** The value at a dotted path of nested YAML maps; fails with the path when a step is missing. */
    @SuppressWarnings("unchecked")
    private static <T> T get(Map<String, Object> doc, String path) {
        Object at = doc;
        for (String step : path.split("\\.")) {
            assertTrue(at instanceof Map<?, ?>, "no " + path + " (at " + step + ")");
            at = ((Map<String, Object>) at).get(step);
            assertNotNull(at, "no " + path + " (at " + step + ")");
        }
        return (T) at;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        assertTrue(value instanceof List<?>, "a list: " + value);
        return (List<Map<String, Object>>) value;
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy/kubernetes"))) {
                return d;
            }
        }
        throw new IllegalStateException("deploy/kubernetes not found above " + Path.of("").toAbsolutePath());
    }
}
