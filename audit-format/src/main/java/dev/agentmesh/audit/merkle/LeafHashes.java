package dev.agentmesh.audit.merkle;

import java.util.List;

/**
 * Random access to the leaf hashes of a trail, {@code SHA-256(0x00 || leaf data)} for each leaf in order, from which
 * {@link MerkleProofs} builds proofs. A reader backs it by the trail file (hashing each record's stored canonical bytes
 * on demand, or reading a side file of hashes); tests back it by a list.
 *
 * <p>The source must be stable: the leaf at an index must not change once read, or proofs built from it describe no
 * tree at all. It may grow between calls; the proof builders read {@link #size()} once to check their arguments and
 * then only leaves below the sizes they were given.
 */
public interface LeafHashes {

    /** @return how many leaves there are, {@code >= 0} */
    long size();

    /**
     * @param index {@code 0 <= index < size()}
     * @return the leaf's 32-byte hash; callers do not modify it, so it may be shared
     */
    byte[] leafHash(long index);

    /**
     * A view of a list of leaf hashes, not a copy.
     *
     * @param hashes 32-byte leaf hashes, in leaf order
     * @return the list as a leaf source
     */
    static LeafHashes of(List<byte[]> hashes) {
        return new LeafHashes() {
            @Override
            public long size() {
                return hashes.size();
            }

            @Override
            public byte[] leafHash(long index) {
                if (index < 0 || index >= hashes.size()) {
                    throw new IndexOutOfBoundsException("leaf " + index + " of " + hashes.size());
                }
                return hashes.get((int) index);
            }
        };
    }
}
