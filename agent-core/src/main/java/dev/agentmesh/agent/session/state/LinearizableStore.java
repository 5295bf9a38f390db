package dev.agentmesh.agent.session.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * STRICT: one copy of the state behind one lock. Every read and write takes effect at one instant while the lock is
 * held, inside the call, so the history is linearizable; a write is logged under the same lock, so the trail lists
 * writes in their linearization order. The clock is the write's position: {@code #1}, {@code #2}, …
 */
final class LinearizableStore implements StateStore {

    private final WriteLog log;
    private final Map<String, String> values = new HashMap<>();
    private long writes;

    LinearizableStore(WriteLog log) {
        this.log = log;
    }

    @Override
    public synchronized List<String> read(String agentId, String key) {
        String value = values.get(key);
        return value == null ? List.of() : List.of(value);
    }

    @Override
    public synchronized void write(String agentId, String key, String value) {
        log.written(agentId, key, value, "#" + (writes + 1));
        writes++;
        values.put(key, value);
    }

    @Override
    public synchronized Set<String> keys(String agentId) {
        return new TreeSet<>(values.keySet());
    }

    @Override
    public synchronized Map<String, List<String>> snapshot() {
        Map<String, List<String>> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    @Override
    public synchronized void replaceAll(Map<String, List<String>> replacement) {
        TreeSet<String> keys = new TreeSet<>(values.keySet());
        keys.addAll(replacement.keySet());
        for (String key : keys) {
            List<String> wanted = replacement.getOrDefault(key, List.of());
            String value = wanted.isEmpty() ? null : wanted.get(wanted.size() - 1);
            if (!java.util.Objects.equals(values.get(key), value)) {
                log.written(SYSTEM, key, value, "#" + (writes + 1));
                writes++;
                if (value == null) {
                    values.remove(key);
                } else {
                    values.put(key, value);
                }
            }
        }
    }
}
