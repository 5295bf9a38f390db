package dev.agentmesh.agent.policy;

/**
 * A vouch the policy file declares: {@code voucher} stakes {@code share} of its own trust for {@code vouchee}.
 *
 * @param voucher the agent that vouches
 * @param vouchee the agent it vouches for, not the voucher
 * @param share more than 0, at most 1
 */
public record DeclaredVouch(String voucher, String vouchee, double share) {

    /** Checks the values. */
    public DeclaredVouch {
        if (!Policy.isAgentId(voucher) || !Policy.isAgentId(vouchee)) {
            throw new IllegalArgumentException("a vouch names a voucher and a vouchee");
        }
        if (voucher.equals(vouchee)) {
            throw new IllegalArgumentException("agent '" + voucher + "' cannot vouch for itself");
        }
        if (!(share > 0) || share > 1) {
            throw new IllegalArgumentException("a vouch's share must be more than 0 and at most 1, got " + share);
        }
    }
}
