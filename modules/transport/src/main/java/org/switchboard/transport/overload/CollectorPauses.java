package org.switchboard.transport.overload;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The time this JVM has stood still in its garbage collector's pauses since it started. A pause stops every thread
 * at once, so a probe tick due during one runs late by the pause even when no work is queued: that is not a
 * backlog, and new work refused for it would be refused by a node that keeps up. Collectors report their
 * concurrent cycles as beans too ("ZGC Cycles", "Shenandoah Cycles"); those run beside the application and are not
 * counted.
 */
public final class CollectorPauses implements LongSupplier {
    private final List<GarbageCollectorMXBean> pausing;

    public CollectorPauses() {
        this.pausing = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(bean -> stopsTheWorld(bean.getName()))
                .toList();
    }

    /** Whether a collector bean of this name reports pauses (not concurrent cycles). */
    static boolean stopsTheWorld(String beanName) {
        return !beanName.contains("Cycles") && !beanName.contains("Concurrent");
    }

    /** Nanoseconds paused since the JVM started (the beans count whole milliseconds). */
    @Override
    public long getAsLong() {
        long millis = 0;
        for (GarbageCollectorMXBean bean : pausing) {
            millis += Math.max(0, bean.getCollectionTime());
        }
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
