package dev.agentmesh.agent.session.state;

import java.util.Map;
import java.util.TreeMap;

/**
 * A vector clock over agent ids: how many writes of each agent a value or an agent has seen. Mutable; not
 * thread-safe (the causal store guards its clocks).
 */
final class VectorClock {

    /** Each agent's count, in a one-element array so a tick updates it in place instead of boxing a new Long. */
    private final TreeMap<String, long[]> counts = new TreeMap<>();

    VectorClock copy() {
        VectorClock c = new VectorClock();
        counts.forEach((agent, n) -> c.counts.put(agent, new long[] {n[0]}));
        return c;
    }

    /** Counts one more write by {@code agentId}. */
    void tick(String agentId) {
        long[] n = counts.get(agentId);
        if (n == null) {
            counts.put(agentId, new long[] {1});
        } else {
            n[0]++;
        }
    }

    /** Takes in everything {@code other} has seen. */
    void merge(VectorClock other) {
        for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
            long[] n = counts.get(e.getKey());
            if (n == null) {
                counts.put(e.getKey(), new long[] {e.getValue()[0]});
            } else {
                n[0] = Math.max(n[0], e.getValue()[0]);
            }
        }
    }

    /** @return whether everything this clock has seen, {@code other} has seen too (this ≤ other) */
    boolean seenBy(VectorClock other) {
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] theirs = other.counts.get(e.getKey());
            if ((theirs == null ? 0 : theirs[0]) < e.getValue()[0]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        counts.forEach((agent, n) -> out.append(out.length() > 1 ? "," : "").append(agent).append(':').append(n[0]));
        return out.append('}').toString();
    }
}
