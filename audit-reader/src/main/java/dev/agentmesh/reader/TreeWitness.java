package dev.agentmesh.reader;

import dev.agentmesh.audit.merkle.MerkleAccumulator;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds the trail's RFC 6962 Merkle tree as the records stream past, in O(log n) memory, and keeps the roots at
 * the sizes asked for up front: the sizes named by checkpoints and the state file, which are known before the read.
 * A leaf is {@code SHA-256(0x00 || canonical bytes)}: the stored record without its chain hash.
 */
final class TreeWitness {

    private final MerkleAccumulator tree = new MerkleAccumulator();
    private final MerkleHash hash = new MerkleHash();
    private final byte[] leaf = new byte[32];
    private final Set<Long> wanted;
    private final Map<Long, byte[]> roots = new HashMap<>();

    /** @param wantedSizes the tree sizes whose roots to keep */
    TreeWitness(Set<Long> wantedSizes) {
        this.wanted = Set.copyOf(wantedSizes);
        if (wanted.contains(0L)) {
            roots.put(0L, tree.root());
        }
    }

    /**
     * @param canonical buffer holding a record's canonical bytes from offset 0
     * @param length their length
     */
    void add(byte[] canonical, int length) {
        hash.leafHash(canonical, 0, length, leaf, 0);
        tree.append(leaf);
        if (wanted.contains(tree.size())) {
            roots.put(tree.size(), tree.root());
        }
    }

    /** @return how many leaves */
    long size() {
        return tree.size();
    }

    /** @return the root of the whole tree so far */
    byte[] root() {
        return tree.root();
    }

    /**
     * @param size a size asked for
     * @return the root at that size, or {@code null} if the trail never reached it
     */
    byte[] rootAt(long size) {
        return roots.get(size);
    }
}
