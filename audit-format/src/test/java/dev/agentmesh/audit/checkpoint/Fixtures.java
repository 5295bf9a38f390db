package dev.agentmesh.audit.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Keys and checkpoints shared by the tests. Seeds are fixed, so every signature is reproducible. */
final class Fixtures {

    static final String ORIGIN = "agentmesh.dev/trail/example";

    /** RFC 8032 section 7.1, TEST 1: its public key is d75a9801…511a. */
    static final byte[] RFC8032_SEED =
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    static final byte[] RFC8032_PUBLIC =
            HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    static final CheckpointSigner SIGNER = CheckpointSigner.fromSeed(ORIGIN, RFC8032_SEED);
    static final CheckpointSigner OTHER = CheckpointSigner.fromSeed(ORIGIN, seed(7));

    private Fixtures() {
    }

    static byte[] seed(int fill) {
        byte[] s = new byte[32];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (fill * 31 + i);
        }
        return s;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The checkpoint of docs/checkpoint-format.md. */
    static Checkpoint example() {
        return Checkpoint.of(ORIGIN, 1042, sha256("agentmesh example"), 1_767_225_600_000L);
    }
}
