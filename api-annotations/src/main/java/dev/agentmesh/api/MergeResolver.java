package dev.agentmesh.api;

/**
 * Decides a key both sessions of a merge changed differently. The conflict is reported in the {@link MergeResult}
 * whatever the resolver decides.
 */
@FunctionalInterface
public interface MergeResolver {

    /** Keeps the value of the session merged into. */
    MergeResolver KEEP_OURS = c -> c.ours().isEmpty() ? null : c.ours().get(c.ours().size() - 1);

    /** Takes the fork's value. */
    MergeResolver TAKE_THEIRS = c -> c.theirs().isEmpty() ? null : c.theirs().get(c.theirs().size() - 1);

    /**
     * @param conflict the key and its three versions; {@link MergeConflict#resolution()} is {@code null} here
     * @return the value the merged session gets, or {@code null} to leave the key absent
     */
    String resolve(MergeConflict conflict);
}
