package dev.agentmesh.agent.audit;

import dev.agentmesh.audit.format.Utf8;

/**
 * What a writer run puts in its GENESIS record.
 *
 * @param writerId unique id of this writer run
 * @param policyDigest SHA-256 of the policy file
 * @param policySource where the policy came from
 */
public record GenesisInfo(String writerId, byte[] policyDigest, String policySource) {

    /** @return the id as UTF-8 */
    byte[] writerIdUtf8() {
        return Utf8.encode(writerId);
    }

    /** @return the source as UTF-8 */
    byte[] policySourceUtf8() {
        return Utf8.encode(policySource);
    }
}
