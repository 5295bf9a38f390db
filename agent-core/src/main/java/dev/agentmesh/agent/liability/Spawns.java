package dev.agentmesh.agent.liability;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agents have acted on behalf of which: an agent entered inside another's scope counts as spawned by it, for a
 * kill's or quarantine's blast radius. Bounded, so an agent-id flood cannot grow the heap: past
 * {@value #MAX_PRINCIPALS} principals or {@value #MAX_SPAWNED} agents for one, further ones are not remembered (and
 * a warning says so once).
 */
final class Spawns {

    static final int MAX_PRINCIPALS = 10_000;
    static final int MAX_SPAWNED = 1_000;

    private final ConcurrentHashMap<String, Set<String>> byPrincipal = new ConcurrentHashMap<>();
    private volatile boolean warned;

    /** Allocation-free once the pair is known. */
    void note(String principal, String agentId) {
        Set<String> spawned = byPrincipal.get(principal);
        if (spawned != null && spawned.contains(agentId)) {
            return;
        }
        if (spawned == null) {
            if (byPrincipal.size() >= MAX_PRINCIPALS) {
                full();
                return;
            }
            spawned = byPrincipal.computeIfAbsent(principal, p -> ConcurrentHashMap.newKeySet());
        }
        if (spawned.size() >= MAX_SPAWNED) {
            full();
            return;
        }
        spawned.add(agentId);
    }

    /** @return the agents that have acted on behalf of {@code principal}, sorted */
    List<String> of(String principal) {
        Set<String> spawned = byPrincipal.get(principal);
        return spawned == null ? List.of() : spawned.stream().sorted().toList();
    }

    private void full() {
        if (!warned) {
            warned = true;
            org.slf4j.LoggerFactory.getLogger(Spawns.class).warn("too many delegating agents to remember which "
                    + "spawned which; a blast radius may miss some spawned agents");
        }
    }
}
