package org.switchboard.node.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A node for a test class: its subscribers and configuration lines, on a free port, ready when returned. */
record TestNode(Path work, String address, NodeProcess process) {

    static TestNode start(String name, List<String> subscribers, List<String> config) {
        Path work = TestFiles.workDir(name);
        String address = "127.0.0.1:" + FreePorts.udpAndTcp();
        Path subs = TestFiles.write(work.resolve("subscribers.csv"), subscribers);
        Path conf = TestFiles.write(work.resolve("node.conf"), config);
        NodeProcess process = NodeProcess.start(work.resolve("node.log"), "--sip", address, "--data",
                work.resolve("data").toString(), "--subscribers", subs.toString(), "--config", conf.toString())
                .awaitReady(Duration.ofSeconds(90));
        return new TestNode(work, address, process);
    }

    /**
     * A node that trusts no address, not even 127.0.0.1 (NodeProcess trusts it by default, for load generators):
     * over TCP and TLS, baresip 1.0 does not bind its connection to its sip_listen address, so it connects from
     * 127.0.0.1 while its Via and Contact name 127.0.0.2 or .3; here it is treated like any phone on the Internet.
     */
    static TestNode untrusting(String name, List<String> subscribers, List<String> config) {
        Path work = TestFiles.workDir(name);
        String address = "127.0.0.1:" + FreePorts.udpAndTcp();
        NodeProcess process = NodeProcess.start(work.resolve("node.log"), List.of(
                        "-D" + NodeProcess.TRUSTED_PEERS + ".0=192.0.2.1/32",
                        "-Dswitchboard.management.port=" + FreePorts.udpAndTcp()),
                "--sip", address, "--data", work.resolve("data").toString(),
                "--subscribers", TestFiles.write(work.resolve("subscribers.csv"), subscribers).toString(),
                "--config", TestFiles.write(work.resolve("node.conf"), config).toString())
                .awaitReady(Duration.ofSeconds(90));
        return new TestNode(work, address, process);
    }
}
