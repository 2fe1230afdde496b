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
}
