package dev.agentmesh.agent.session.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * CAUSAL, with vector clocks. Each agent carries a clock of the writes it has seen (its own, and those its reads
 * returned). A write is stamped with the writer's clock after counting itself, and replaces every value of its key
 * that clock has seen; values it has not seen were written concurrently and stay beside it as siblings. A read
 * returns the key's siblings and adds their clocks to the reader's.
 *
 * <p>So no value is ever dropped unless a writer saw it, siblings are pairwise concurrent, and a read never returns
 * a value older than one in the reader's causal past: what it has seen is either still there or replaced by a value
 * whose writer saw it. One lock guards the lot; the state lives in one JVM.
 */
final class CausalStore implements StateStore {

    private final WriteLog log;
    private final Map<String, VectorClock> agents = new HashMap<>();
    private final Map<String, List<Sibling>> values = new HashMap<>();
    /** Everything the hypervisor's last restore saw and wrote: every agent's clock starts at or above it. */
    private VectorClock floor = new VectorClock();

    CausalStore(WriteLog log) {
        this.log = log;
    }

    @Override
    public synchronized List<String> read(String agentId, String key) {
        List<Sibling> siblings = values.getOrDefault(key, List.of());
        VectorClock reader = clockOf(agentId);
        TreeSet<String> seen = new TreeSet<>();
        for (Sibling s : siblings) {
            reader.merge(s.clock);
            seen.add(s.value);
        }
        return List.copyOf(seen);
    }

    @Override
    public synchronized void write(String agentId, String key, String value) {
        VectorClock stamp = clockOf(agentId).copy();
        stamp.tick(agentId);
        log.written(agentId, key, value, stamp.toString());
        clockOf(agentId).tick(agentId);
        List<Sibling> kept = new ArrayList<>();
        for (Sibling s : values.getOrDefault(key, List.of())) {
            if (!s.clock.seenBy(stamp)) {
                kept.add(s);
            }
        }
        kept.add(new Sibling(value, stamp));
        values.put(key, kept);
    }

    @Override
    public synchronized Set<String> keys(String agentId) {
        return new TreeSet<>(values.keySet());
    }

    @Override
    public synchronized Map<String, List<String>> snapshot() {
        Map<String, List<String>> out = new TreeMap<>();
        values.forEach((k, siblings) -> {
            TreeSet<String> sorted = new TreeSet<>();
            siblings.forEach(s -> sorted.add(s.value));
            out.put(k, List.copyOf(sorted));
        });
        return out;
    }

    /**
     * The hypervisor's writes have seen everything there is, so they supersede every value; siblings it restores get
     * one clock entry each ({@code @hypervisor}, {@code @hypervisor.2}, …), so they stay concurrent with each other.
     * A restore is a barrier: every agent's clock, and every new agent's, includes it, so an agent's next write
     * supersedes the restored value rather than standing beside it as a sibling.
     */
    @Override
    public synchronized void replaceAll(Map<String, List<String>> replacement) {
        VectorClock seenAll = new VectorClock();
        agents.values().forEach(seenAll::merge);
        values.values().forEach(siblings -> siblings.forEach(s -> seenAll.merge(s.clock)));
        TreeSet<String> keys = new TreeSet<>(values.keySet());
        keys.addAll(replacement.keySet());
        for (String key : keys) {
            List<String> wanted = replacement.getOrDefault(key, List.of());
            if (new TreeSet<>(wanted).equals(new TreeSet<>(snapshotOf(key)))) {
                continue;
            }
            List<Sibling> fresh = new ArrayList<>();
            if (wanted.isEmpty()) {
                VectorClock stamp = seenAll.copy();
                stamp.tick(SYSTEM);
                log.written(SYSTEM, key, null, stamp.toString());
            }
            for (int i = 0; i < wanted.size(); i++) {
                VectorClock stamp = seenAll.copy();
                stamp.tick(i == 0 ? SYSTEM : SYSTEM + "." + (i + 1));
                log.written(SYSTEM, key, wanted.get(i), stamp.toString());
                fresh.add(new Sibling(wanted.get(i), stamp));
            }
            if (fresh.isEmpty()) {
                values.remove(key);
            } else {
                values.put(key, fresh);
            }
        }
        seenAll.tick(SYSTEM);
        for (int i = 2; i <= maxSiblings(replacement); i++) {
            seenAll.tick(SYSTEM + "." + i);
        }
        floor = seenAll;
        agents.values().forEach(clock -> clock.merge(seenAll));
    }

    private static int maxSiblings(Map<String, List<String>> state) {
        int max = 1;
        for (List<String> v : state.values()) {
            max = Math.max(max, v.size());
        }
        return max;
    }

    private List<String> snapshotOf(String key) {
        List<String> out = new ArrayList<>();
        values.getOrDefault(key, List.of()).forEach(s -> out.add(s.value));
        return out;
    }

    private VectorClock clockOf(String agentId) {
        return agents.computeIfAbsent(agentId, a -> floor.copy());
    }

    /** A value and the clock of the write that made it. */
    private record Sibling(String value, VectorClock clock) {
    }
}
