package dev.agentmesh.api;

import java.util.List;

/**
 * An agent's standing under joint liability, as {@link Hypervisor#trust(String)} reports it. Immutable.
 *
 * <p>Trust is counted in points from 0 to 1000. {@code effectiveTrust = min(1000, ownTrust + the bonds of
 * backedBy)}; when the policy gives the agent {@code ring: trust}, its ring is the most privileged one whose
 * threshold its effective trust reaches (never ring 0).
 *
 * @param agentId the agent
 * @param ownTrust its own score: what the policy gives it, less every slash it has borne
 * @param effectiveTrust its own score plus the bonds behind it, at most 1000
 * @param ring the ring it holds now (before any quarantine or elevation)
 * @param ringFromTrust whether that ring follows its effective trust rather than being fixed by the policy
 * @param backedBy the vouches for it
 * @param backing the vouches it made for others
 */
public record TrustStatus(String agentId, int ownTrust, int effectiveTrust, int ring, boolean ringFromTrust,
        List<Vouch> backedBy, List<Vouch> backing) {

    /** Copies the lists. */
    public TrustStatus {
        backedBy = List.copyOf(backedBy);
        backing = List.copyOf(backing);
    }
}
