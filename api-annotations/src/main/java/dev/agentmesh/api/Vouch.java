package dev.agentmesh.api;

/**
 * One agent vouching for another: the voucher stakes a share of its own trust score as a bond that counts towards
 * the vouchee's effective trust, and forfeits part of it when the vouchee is slashed. Immutable.
 *
 * @param voucherId the agent that vouches
 * @param voucheeId the agent it vouches for
 * @param share the share of the voucher's own score staked, more than 0, at most 1
 * @param bond what the bond is worth now, in trust points: {@code floor(share × voucher's own score)}
 * @param source {@code policy} if the policy file declares it, {@code api} if made at runtime
 */
public record Vouch(String voucherId, String voucheeId, double share, int bond, String source) {
}
