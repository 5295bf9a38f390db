package dev.agentmesh.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Wrong claims derived from a right one, after Trillian's {@code corruptInclusionProof} and
 * {@code corruptConsistencyProof} (transparency-dev/merkle {@code proof/verify_test.go}): every one must fail.
 */
final class Probes {

    /** An arbitrary 32-byte hash that is no node of any test tree (Trillian's {@code sha256SomeHash}). */
    static final byte[] SOME_HASH = RfcReference.hex("abacaba000000000000000000000000000000000000000000060061e00123456");

    private Probes() {
    }

    record Inclusion(long index, long size, List<byte[]> proof, byte[] root, byte[] leaf, String description) {
        boolean verify() {
            return MerkleVerifier.verifyInclusion(leaf, index, size, proof, root);
        }
    }

    record Consistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof,
            String description) {
        boolean verify() {
            return MerkleVerifier.verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof);
        }
    }

    static List<Inclusion> corruptInclusion(long index, long size, List<byte[]> proof, byte[] root, byte[] leaf) {
        List<Inclusion> out = new ArrayList<>();
        out.add(new Inclusion(index - 1, size, proof, root, leaf, "index - 1"));
        out.add(new Inclusion(index + 1, size, proof, root, leaf, "index + 1"));
        out.add(new Inclusion(index ^ 2, size, proof, root, leaf, "index ^ 2"));
        out.add(new Inclusion(index, size * 2, proof, root, leaf, "size * 2"));
        out.add(new Inclusion(index, size / 2, proof, root, leaf, "size / 2"));
        out.add(new Inclusion(index, size, proof, root, "WrongLeaf".getBytes(StandardCharsets.US_ASCII),
                "short wrong leaf"));
        out.add(new Inclusion(index, size, proof, root, RfcReference.flip(leaf, 31, 0), "leaf with a bit flipped"));
        out.add(new Inclusion(index, size, proof, MerkleHash.emptyRoot(), leaf, "empty root"));
        out.add(new Inclusion(index, size, proof, SOME_HASH, leaf, "some other root"));
        out.add(new Inclusion(index, size, append(proof, new byte[0]), root, leaf, "trailing garbage"));
        out.add(new Inclusion(index, size, append(proof, root), root, leaf, "trailing root"));
        out.add(new Inclusion(index, size, prepend(new byte[0], proof), root, leaf, "preceding garbage"));
        out.add(new Inclusion(index, size, prepend(root, proof), root, leaf, "preceding root"));
        for (int i = 0; i < proof.size(); i++) {
            out.add(new Inclusion(index, size, RfcReference.flip(proof, i, 0, 3), root, leaf,
                    "proof[" + i + "] bit 3 flipped"));
        }
        if (!proof.isEmpty()) {
            out.add(new Inclusion(index, size, proof.subList(0, proof.size() - 1), root, leaf, "removed component"));
        }
        if (proof.size() > 1) {
            List<byte[]> inserted = new ArrayList<>(proof);
            inserted.add(1, SOME_HASH);
            out.add(new Inclusion(index, size, inserted, root, leaf, "inserted component"));
        }
        return out;
    }

    static List<Consistency> corruptConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
            List<byte[]> proof) {
        byte[] wrong = "WrongRoot".getBytes(StandardCharsets.US_ASCII);
        List<Consistency> out = new ArrayList<>();
        out.add(new Consistency(oldSize - 1, newSize, oldRoot, newRoot, proof, "oldSize - 1"));
        out.add(new Consistency(oldSize + 1, newSize, oldRoot, newRoot, proof, "oldSize + 1"));
        out.add(new Consistency(oldSize ^ 2, newSize, oldRoot, newRoot, proof, "oldSize ^ 2"));
        out.add(new Consistency(oldSize, newSize * 2, oldRoot, newRoot, proof, "newSize * 2"));
        out.add(new Consistency(oldSize, newSize / 2, oldRoot, newRoot, proof, "newSize / 2"));
        out.add(new Consistency(oldSize, newSize, wrong, newRoot, proof, "short wrong old root"));
        out.add(new Consistency(oldSize, newSize, oldRoot, wrong, proof, "short wrong new root"));
        out.add(new Consistency(oldSize, newSize, RfcReference.flip(oldRoot, 0, 7), newRoot, proof,
                "old root with a bit flipped"));
        out.add(new Consistency(oldSize, newSize, oldRoot, RfcReference.flip(newRoot, 0, 7), proof,
                "new root with a bit flipped"));
        out.add(new Consistency(oldSize, newSize, newRoot, oldRoot, proof, "swapped roots"));
        out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, List.of(), "empty proof"));
        out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, append(proof, new byte[0]), "trailing garbage"));
        out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, append(proof, oldRoot), "trailing old root"));
        out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, append(proof, newRoot), "trailing new root"));
        out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, prepend(new byte[0], proof), "preceding garbage"));
        out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, prepend(oldRoot, proof), "preceding old root"));
        out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, prepend(newRoot, proof), "preceding new root"));
        if (!proof.isEmpty()) {
            out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, prepend(proof.get(0), proof),
                    "preceding proof[0]"));
            out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, proof.subList(0, proof.size() - 1),
                    "truncated proof"));
        }
        for (int i = 0; i < proof.size(); i++) {
            out.add(new Consistency(oldSize, newSize, oldRoot, newRoot, RfcReference.flip(proof, i, 0, 4),
                    "proof[" + i + "] bit 4 flipped"));
        }
        return out;
    }

    private static List<byte[]> append(List<byte[]> proof, byte[] extra) {
        List<byte[]> out = new ArrayList<>(proof);
        out.add(extra);
        return out;
    }

    private static List<byte[]> prepend(byte[] extra, List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        out.add(extra);
        out.addAll(proof);
        return out;
    }
}
