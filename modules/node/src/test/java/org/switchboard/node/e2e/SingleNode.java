package org.switchboard.node.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one node a test class runs against, as a JUnit 5 extension: started ({@link TestNode#start}) before the class's
 * first test, stopped after its last, so that no test class writes that start and stop again.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SingleNode node = SingleNode.of("forking", List.of("desk@sip.test,pw"), List.of());
 * }</pre>
 */
final class SingleNode implements BeforeAllCallback, AfterAllCallback {
    /** How the node is started: {@link TestNode#start} or {@link TestNode#untrusting}. */
    @FunctionalInterface
    private interface Start {
        TestNode start(String name, List<String> subscribers, List<String> config);
    }

    private final String name;
    private final List<String> subscribers;
    private final List<String> config;
    private final Start start;
    private Optional<TestNode> running = Optional.empty();

    private SingleNode(String name, List<String> subscribers, List<String> config, Start start) {
        this.name = name;
        this.subscribers = List.copyOf(subscribers);
        this.config = List.copyOf(config);
        this.start = start;
    }

    /**
     * A node named {@code name} (its work directory), with {@code subscribers} as lines of its subscribers file and
     * {@code config} as lines of its configuration file.
     */
    static SingleNode of(String name, List<String> subscribers, List<String> config) {
        return new SingleNode(name, subscribers, config, TestNode::start);
    }

    /** {@link #of}, a node that trusts no address, not even 127.0.0.1 ({@link TestNode#untrusting}). */
    static SingleNode untrusting(String name, List<String> subscribers, List<String> config) {
        return new SingleNode(name, subscribers, config, TestNode::untrusting);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (running.isPresent()) {
            throw new IllegalStateException("the node " + name + " is already running: one test class at a time");
        }
        running = Optional.of(start.start(name, subscribers, config));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        running.ifPresent(n -> n.process().close());
        running = Optional.empty();
    }

    /** Where the node listens for SIP, UDP and TCP: {@code 127.0.0.1:port}. */
    String address() {
        return testNode().address();
    }

    /** The port of {@link #address()}. */
    int port() {
        String address = address();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The node's JVM, for its log ({@code tail()}) in assertion messages. */
    NodeProcess process() {
        return testNode().process();
    }

    /** The node's work directory: its files, and the place for the test's own (SIPp scenarios, CSV files). */
    Path work() {
        return testNode().work();
    }

    /** The running node, for helpers written for any {@link TestNode}. */
    TestNode testNode() {
        return running.orElseThrow(() -> new IllegalStateException(
                "the node " + name + " is not running: register the extension with @RegisterExtension on a static field"));
    }
}
