package dev.agentmesh.agent.session.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * EVENTUAL: one replica per agent. A write lands in the writer's replica at once and reaches every other replica
 * later, on the shared sync thread, after a random delay of up to half the convergence bound; a read looks only at
 * the reader's replica, so it may be stale. Replicas settle concurrent writes the same way everywhere, last writer
 * wins by (Lamport time, writer id), so once writes stop they agree within the bound. An agent that joins starts
 * from a copy of the most advanced replica.
 */
final class ReplicatedStore implements StateStore {

    private final WriteLog log;
    private final ScheduledExecutorService sync;
    private final long maxDelayNanos;
    private final AtomicLong lamport = new AtomicLong();
    private final Map<String, Map<String, Entry>> replicas = new ConcurrentHashMap<>();

    /**
     * @param log where writes are logged
     * @param sync the thread that carries writes to the other replicas
     * @param convergenceBoundNanos the longest a write may take to reach every replica
     */
    ReplicatedStore(WriteLog log, ScheduledExecutorService sync, long convergenceBoundNanos) {
        this.log = log;
        this.sync = sync;
        this.maxDelayNanos = Math.max(1, convergenceBoundNanos / 2);
    }

    @Override
    public List<String> read(String agentId, String key) {
        Entry e = replicaOf(agentId).get(key);
        return e == null || e.value == null ? List.of() : List.of(e.value);
    }

    @Override
    public void write(String agentId, String key, String value) {
        Entry entry;
        // The Lamport time is taken and logged under the store's lock so the trail lists writes in time order.
        synchronized (this) {
            entry = new Entry(value, lamport.incrementAndGet(), agentId);
            log.written(agentId, key, value, "L" + entry.time);
        }
        apply(replicaOf(agentId), key, entry);
        long delay = ThreadLocalRandom.current().nextLong(maxDelayNanos);
        sync.schedule(() -> spread(agentId, key, entry), delay, TimeUnit.NANOSECONDS);
    }

    @Override
    public Set<String> keys(String agentId) {
        TreeSet<String> keys = new TreeSet<>();
        replicaOf(agentId).forEach((key, entry) -> {
            if (entry.value != null) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** What the replicas converge to: for each key, the latest entry any replica holds. */
    @Override
    public synchronized Map<String, List<String>> snapshot() {
        Map<String, Entry> latest = seed();
        Map<String, List<String>> out = new TreeMap<>();
        latest.forEach((key, entry) -> {
            if (entry.value != null) {
                out.put(key, List.of(entry.value));
            }
        });
        return out;
    }

    /**
     * Applied to every replica at once, at a Lamport time later than any write so far, so writes still spreading
     * lose to it; a removed key becomes a tombstone, so a late copy of an old write cannot bring it back.
     */
    @Override
    public synchronized void replaceAll(Map<String, List<String>> replacement) {
        // The hypervisor's own replica holds what it wrote even while no agent has one yet (a fresh fork).
        replicaOf(SYSTEM);
        Map<String, List<String>> current = snapshot();
        TreeSet<String> keys = new TreeSet<>(current.keySet());
        keys.addAll(replacement.keySet());
        for (String key : keys) {
            List<String> wanted = replacement.getOrDefault(key, List.of());
            if (wanted.equals(current.getOrDefault(key, List.of()))) {
                continue;
            }
            String value = wanted.isEmpty() ? null : wanted.get(wanted.size() - 1);
            Entry entry = new Entry(value, lamport.incrementAndGet(), SYSTEM);
            log.written(SYSTEM, key, value, "L" + entry.time);
            for (Map<String, Entry> replica : replicas.values()) {
                apply(replica, key, entry);
            }
        }
    }

    private void spread(String writer, String key, Entry entry) {
        for (Map.Entry<String, Map<String, Entry>> replica : replicas.entrySet()) {
            if (!replica.getKey().equals(writer)) {
                apply(replica.getValue(), key, entry);
            }
        }
    }

    private static void apply(Map<String, Entry> replica, String key, Entry incoming) {
        replica.merge(key, incoming, (held, in) -> in.after(held) ? in : held);
    }

    private Map<String, Entry> replicaOf(String agentId) {
        Map<String, Entry> replica = replicas.get(agentId);
        if (replica != null) {
            return replica;
        }
        synchronized (this) {
            return replicas.computeIfAbsent(agentId, a -> seed());
        }
    }

    /** A new replica: the union of what the others hold, so a late joiner is no staler than anyone. */
    private Map<String, Entry> seed() {
        Map<String, Entry> fresh = new ConcurrentHashMap<>();
        for (Map<String, Entry> other : new ArrayList<>(replicas.values())) {
            other.forEach((key, entry) -> apply(fresh, key, entry));
        }
        return fresh;
    }

    /**
     * A value with the (Lamport time, writer) that orders it against concurrent writes of its key; a {@code null}
     * value is a removed key.
     */
    private record Entry(String value, long time, String writer) {
        boolean after(Entry other) {
            return time != other.time ? time > other.time : writer.compareTo(other.writer) > 0;
        }
    }
}
