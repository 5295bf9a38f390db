package dev.agentmesh.api;

import java.util.List;

/**
 * A key both sessions of a {@link Hypervisor#merge merge} changed differently since their common checkpoint. Each
 * side is the key's values (empty if absent; several only for CAUSAL siblings).
 *
 * @param key the key
 * @param base its values at the common checkpoint
 * @param ours its values in the session merged into
 * @param theirs its values in the fork
 * @param resolution what the resolver chose, or {@code null} to leave the key absent
 */
public record MergeConflict(String key, List<String> base, List<String> ours, List<String> theirs,
        String resolution) {

    /** Copies the lists, so the conflict is immutable. */
    public MergeConflict {
        base = List.copyOf(base);
        ours = List.copyOf(ours);
        theirs = List.copyOf(theirs);
    }
}
