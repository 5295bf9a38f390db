package dev.agentmesh.api;

import java.util.List;

/**
 * What a {@link Hypervisor#merge merge} did: the keys it took from the fork, and every conflict with its resolution.
 * No conflict is dropped.
 *
 * @param taken keys only the fork changed, now written into the target session, sorted
 * @param conflicts keys both changed differently, with what the resolver chose, sorted by key
 * @param auditHash the chain hash (hex) of the MERGED record in the target session
 */
public record MergeResult(List<String> taken, List<MergeConflict> conflicts, String auditHash) {

    /** Copies the lists, so the result is immutable. */
    public MergeResult {
        taken = List.copyOf(taken);
        conflicts = List.copyOf(conflicts);
    }
}
