package org.switchboard.node;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Which garbage collector this JVM runs, by the name an operator passes to choose it (-XX:+Use<name>GC). */
final class Collector {
    private Collector() {
    }

    static String name() {
        return name(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }

    /**
     * From the JVM's collector bean names ("G1 Young Generation", "Shenandoah Pauses", "PS Scavenge", "Copy"); a JVM
     * without any (Epsilon collects nothing) is "unknown".
     */
    static String name(List<String> beanNames) {
        if (beanNames.isEmpty()) {
            return "unknown";
        }
        String first = beanNames.get(0);
        if (first.startsWith("PS ")) {
            return "Parallel";
        }
        if (first.equals("Copy") || first.equals("MarkSweepCompact")) {
            return "Serial";
        }
        int space = first.indexOf(' ');
        return space < 0 ? first : first.substring(0, space);
    }
}
