package dev.agentmesh.agent.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the digest the audit trail records for the policy. */
final class Sha256 {

    /** Bytes in a SHA-256 digest. */
    static final int LENGTH = 32;

    private Sha256() {
    }

    static byte[] of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this is a broken JVM, not a policy problem.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
