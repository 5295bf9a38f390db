package dev.agentmesh.agent.liability;

import dev.agentmesh.agent.policy.BreachPolicy;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores each agent's denials over a sliding window, as {@link BreachPolicy} sets it: a denied call towards a ring
 * above the agent's own scores {@code violation} points, any other denial {@code denial} points. A score at or above
 * the threshold is a breach; the agent's window then starts afresh. Only denials are scored, so an agent that is
 * allowed everything it asks costs nothing here.
 */
final class BreachDetector {

    /** Windows kept at most: beyond it, stale ones are dropped before a new one is made. */
    static final int MAX_WINDOWS = 10_000;

    private final BreachPolicy config;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    BreachDetector(BreachPolicy config) {
        this.config = config;
    }

    BreachPolicy config() {
        return config;
    }

    /**
     * @param agentId the denied agent
     * @param violation whether the call reached for a ring above the agent's own
     * @param what the denial, as evidence: {@code ring violation: Tools.delete needs ring 1}
     * @param nowMillis the time
     * @return the evidence if this denial makes a breach, else {@code null}
     */
    Breach score(String agentId, boolean violation, String what, long nowMillis) {
        int points = violation ? config.violationPoints() : config.denialPoints();
        if (points == 0) {
            return null;
        }
        Window w = windows.get(agentId);
        if (w == null) {
            if (windows.size() >= MAX_WINDOWS) {
                windows.values().removeIf(old -> old.staleAt(nowMillis - config.windowSeconds() * 1000L));
            }
            w = windows.computeIfAbsent(agentId, id -> new Window());
        }
        return w.add(nowMillis, points, what);
    }

    /** One agent's recent denials. */
    private final class Window {
        private final ArrayDeque<long[]> times = new ArrayDeque<>();
        private final ArrayDeque<String> whats = new ArrayDeque<>();
        private int score;

        synchronized Breach add(long now, int points, String what) {
            long since = now - config.windowSeconds() * 1000L;
            while (!times.isEmpty() && times.peekFirst()[0] < since) {
                score -= (int) times.pollFirst()[1];
                whats.pollFirst();
            }
            times.addLast(new long[] {now, points});
            whats.addLast(what);
            score += points;
            if (score < config.threshold()) {
                return null;
            }
            Breach breach = new Breach(score, evidence());
            times.clear();
            whats.clear();
            score = 0;
            return breach;
        }

        synchronized boolean staleAt(long since) {
            return times.isEmpty() || times.peekLast()[0] < since;
        }

        private String evidence() {
            Map<String, Integer> counts = new TreeMap<>();
            for (String what : whats) {
                counts.merge(what, 1, Integer::sum);
            }
            StringBuilder sb = new StringBuilder();
            counts.forEach((what, n) -> sb.append(sb.length() == 0 ? "" : "; ").append(n).append(" x ").append(what));
            return sb.toString();
        }
    }

    /**
     * A breach: the score that made it and what the agent did.
     *
     * @param score the score, at or above the threshold
     * @param evidence each kind of denial in the window and how many times
     */
    record Breach(int score, String evidence) {
    }
}
