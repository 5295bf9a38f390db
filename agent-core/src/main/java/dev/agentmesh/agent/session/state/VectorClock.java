package dev.agentmesh.agent.session.state;

import java.util.Map;
import java.util.TreeMap;

/**
 * A vector clock over agent ids: how many writes of each agent a value or an agent has seen. Mutable; not
 * thread-safe (the causal store guards its clocks).
 */
final class VectorClock {

    private final TreeMap<String, Long> counts = new TreeMap<>();

    VectorClock copy() {
        VectorClock c = new VectorClock();
        c.counts.putAll(counts);
        return c;
    }

    /** Counts one more write by {@code agentId}. */
    void tick(String agentId) {
        counts.merge(agentId, 1L, Long::sum);
    }

    /** Takes in everything {@code other} has seen. */
    void merge(VectorClock other) {
        for (Map.Entry<String, Long> e : other.counts.entrySet()) {
            counts.merge(e.getKey(), e.getValue(), Math::max);
        }
    }

    /** @return whether everything this clock has seen, {@code other} has seen too (this ≤ other) */
    boolean seenBy(VectorClock other) {
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (other.counts.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        counts.forEach((agent, n) -> out.append(out.length() > 1 ? "," : "").append(agent).append(':').append(n));
        return out.append('}').toString();
    }
}
