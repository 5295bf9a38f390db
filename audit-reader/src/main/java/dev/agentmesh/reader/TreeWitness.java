package dev.agentmesh.reader;

import dev.agentmesh.audit.merkle.MerkleAccumulator;
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
    /** The wanted sizes, ascending; a long[] and a cursor, so the per-record check neither boxes nor hashes. */
    private final long[] wanted;
    private int nextWanted;
    private final Map<Long, byte[]> roots = new HashMap<>();

    /** @param wantedSizes the tree sizes whose roots to keep */
    TreeWitness(Set<Long> wantedSizes) {
        this.wanted = wantedSizes.stream().mapToLong(Long::longValue).filter(s -> s >= 0).sorted().toArray();
        keepWantedRoot();
    }

    /**
     * @param canonical buffer holding a record's canonical bytes from offset 0
     * @param length their length
     */
    void add(byte[] canonical, int length) {
        tree.appendData(canonical, 0, length);
        keepWantedRoot();
    }

    private void keepWantedRoot() {
        if (nextWanted < wanted.length && wanted[nextWanted] == tree.size()) {
            roots.put(tree.size(), tree.root());
            nextWanted++;
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
