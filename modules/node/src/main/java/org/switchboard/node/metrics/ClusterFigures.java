package org.switchboard.node.metrics;

import java.util.Map;

/**
 * What the node last learnt of its cluster, for the gauges: members by status as this node sees them, the shards and
 * entities it hosts per entity type, the calls up and the registrations of the whole cluster. A figure not learnt
 * yet is NaN (Prometheus shows it as such rather than a made-up 0).
 */
record ClusterFigures(Map<String, Integer> members, int unreachable, Map<String, Integer> shards,
                      Map<String, Integer> entities, double callsUp, double subscribers, double registered,
                      double bindings) {
    static final ClusterFigures UNKNOWN = new ClusterFigures(Map.of(), 0, Map.of(), Map.of(), Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    ClusterFigures {
        members = Map.copyOf(members);
        shards = Map.copyOf(shards);
        entities = Map.copyOf(entities);
    }

    ClusterFigures withMembers(Map<String, Integer> byStatus, int unreachableNow) {
        return new ClusterFigures(byStatus, unreachableNow, shards, entities, callsUp, subscribers, registered,
                bindings);
    }

    ClusterFigures withRegion(String type, int shardCount, int entityCount) {
        Map<String, Integer> s = new java.util.HashMap<>(shards);
        Map<String, Integer> e = new java.util.HashMap<>(entities);
        s.put(type, shardCount);
        e.put(type, entityCount);
        return new ClusterFigures(members, unreachable, s, e, callsUp, subscribers, registered, bindings);
    }

    ClusterFigures withCallsUp(int up) {
        return new ClusterFigures(members, unreachable, shards, entities, up, subscribers, registered, bindings);
    }

    ClusterFigures withRegistrations(long subscriberCount, long registeredCount, long bindingCount) {
        return new ClusterFigures(members, unreachable, shards, entities, callsUp, subscriberCount, registeredCount,
                bindingCount);
    }
}
