package dev.agentmesh.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only accumulator of leaf hashes that can give, at any time, the RFC 6962 Merkle Tree Hash
 * ({@code MTH}, RFC 6962 §2.1 / RFC 9162 §2.1.1) of all the leaves appended so far. This is the state a trail writer
 * keeps in memory to put signed checkpoints {@code (size, root)} on the trail; it cannot produce proofs, which need the
 * leaf hashes themselves (see {@link MerkleProofs}).
 *
 * <h2>How</h2>
 *
 * <p>The RFC's tree of {@code n} leaves splits at the largest power of two below {@code n}, so it is a row of
 * <em>perfect</em> subtrees, one per set bit of {@code n}, largest (leftmost) first: 13 = 8 + 4 + 1 leaves are the
 * subtrees over {@code [0, 8)}, {@code [8, 12)} and {@code [12, 13)}. The accumulator keeps only the roots of these
 * subtrees, its <em>peaks</em> (in transparency-dev / Tessera terms, the compact range {@code [0, n)}):
 *
 * <ul>
 *   <li>{@link #append} pushes the new leaf hash as a peak of one leaf, then merges the two rightmost peaks while
 *       they are the same size, exactly as adding one to {@code n} carries through its trailing one bits;</li>
 *   <li>{@link #root} folds the peaks from the right, {@code node(p0, node(p1, … node(pk-1, pk)))}, which is the
 *       RFC's recursion {@code MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n]))} unrolled.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 *
 * <ul>
 *   <li>Memory: one fixed 2 KiB buffer (room for 64 peaks of 32 bytes, enough for any {@code long} size), a
 *       32-byte scratch buffer and one {@link MerkleHash}; nothing grows with the size.</li>
 *   <li>{@link #append}: one copy of the leaf hash plus one node hash per trailing one bit of the old size, so at
 *       most 63 and on average one hash; it allocates nothing.</li>
 *   <li>{@link #root}: {@code bitCount(size) - 1} node hashes (at most 62); {@link #root(byte[], int)} allocates
 *       nothing, {@link #root()} only its 32-byte result.</li>
 * </ul>
 *
 * <p>Not thread-safe; a writer that appends from one thread and publishes roots from another must synchronise, or
 * hand a {@link #copy()} across.
 */
public final class MerkleAccumulator {

    private static final int HASH = MerkleHash.HASH_LENGTH;

    /** A positive long has at most 63 set bits; one more slot holds the incoming leaf before merging. */
    private static final int MAX_PEAKS = 64;

    private final MerkleHash hasher;
    /** Peak {@code i} at {@code [i * 32, i * 32 + 32)}; exactly {@code bitCount(size)} of them are live. */
    private final byte[] peaks;
    private final byte[] scratch = new byte[HASH];
    private long size;

    /** Creates an accumulator of no leaves, whose root is {@link MerkleHash#emptyRoot()}. */
    public MerkleAccumulator() {
        this(new MerkleHash(), new byte[MAX_PEAKS * HASH], 0);
    }

    private MerkleAccumulator(MerkleHash hasher, byte[] peaks, long size) {
        this.hasher = hasher;
        this.peaks = peaks;
        this.size = size;
    }

    /**
     * Rebuilds an accumulator from the state {@link #peaks()} exported, so a writer that persisted {@code (size,
     * peaks)} with a checkpoint can resume appending without rereading the leaves. Nothing here can tell whether the
     * peaks really are those of the trail's first {@code size} leaves; compare {@link #root()} with the checkpoint's.
     *
     * @param size number of leaves the peaks cover, {@code >= 0}
     * @param peaks the roots of the perfect subtrees, largest first, as {@link #peaks()} returns them: exactly
     *     {@code Long.bitCount(size)} hashes of 32 bytes
     * @return an accumulator of {@code size} leaves
     * @throws IllegalArgumentException if the size is negative or the peaks do not fit it
     */
    public static MerkleAccumulator restore(long size, List<byte[]> peaks) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (peaks.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException(
                    "a tree of " + size + " leaves has " + Long.bitCount(size) + " peaks, not " + peaks.size());
        }
        byte[] buffer = new byte[MAX_PEAKS * HASH];
        for (int i = 0; i < peaks.size(); i++) {
            byte[] peak = peaks.get(i);
            MerkleHash.checkHash(peak, "peak " + i);
            System.arraycopy(peak, 0, buffer, i * HASH, HASH);
        }
        return new MerkleAccumulator(new MerkleHash(), buffer, size);
    }

    /** @return the number of leaves appended (or restored) so far */
    public long size() {
        return size;
    }

    /**
     * Appends one leaf by its hash.
     *
     * @param leafHash the leaf's hash, {@code SHA-256(0x00 || data)}: exactly 32 bytes
     * @throws IllegalArgumentException if it is not 32 bytes
     * @throws IllegalStateException if the tree already has {@link Long#MAX_VALUE} leaves
     */
    public void append(byte[] leafHash) {
        MerkleHash.checkHash(leafHash, "leaf");
        append(leafHash, 0);
    }

    /**
     * Appends one leaf by its hash, read from a larger buffer.
     *
     * @param buffer holds the leaf's 32-byte hash
     * @param offset where it starts
     * @throws IllegalArgumentException if there are not 32 bytes at {@code offset}
     * @throws IllegalStateException if the tree already has {@link Long#MAX_VALUE} leaves
     */
    public void append(byte[] buffer, int offset) {
        if (offset < 0 || buffer.length - offset < HASH) {
            throw new IllegalArgumentException("no 32-byte leaf hash at offset " + offset);
        }
        int top = pushSlot();
        System.arraycopy(buffer, offset, peaks, top * HASH, HASH);
        merge(top);
    }

    /**
     * Hashes leaf data with {@link MerkleHash#leafHash} and appends it, without allocating: what a writer that holds
     * the record's canonical bytes in a buffer calls.
     *
     * @param data buffer holding the leaf input
     * @param offset where it starts
     * @param length how many bytes
     * @throws IllegalArgumentException if the range is outside the buffer
     * @throws IllegalStateException if the tree already has {@link Long#MAX_VALUE} leaves
     */
    public void appendData(byte[] data, int offset, int length) {
        int top = pushSlot();
        hasher.leafHash(data, offset, length, peaks, top * HASH);
        merge(top);
    }

    /** @return the slot the next leaf hash goes into, one past the live peaks */
    private int pushSlot() {
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("the tree is full: " + size + " leaves");
        }
        return Long.bitCount(size);
    }

    /**
     * Merges the new peak at {@code top} into its left neighbours: each trailing one bit of the old size is a peak
     * of the same size as the one being carried, so the pair becomes one peak of twice the size, written in place.
     */
    private void merge(int top) {
        for (long carry = size; (carry & 1) != 0; carry >>>= 1) {
            top--;
            hasher.nodeHash(peaks, top * HASH, peaks, (top + 1) * HASH, peaks, top * HASH);
        }
        size++;
    }

    /**
     * @return {@code MTH} of the leaves so far, a new 32-byte array; {@link MerkleHash#emptyRoot()} for no leaves
     */
    public byte[] root() {
        byte[] out = new byte[HASH];
        root(out, 0);
        return out;
    }

    /**
     * Writes {@code MTH} of the leaves so far without allocating. Does not change the accumulator.
     *
     * @param out receives the 32-byte root at {@code outOffset}
     * @param outOffset where to put it
     * @throws IllegalArgumentException if there is no room
     */
    public void root(byte[] out, int outOffset) {
        if (outOffset < 0 || out.length - outOffset < HASH) {
            throw new IllegalArgumentException("no room for a hash at offset " + outOffset);
        }
        int count = Long.bitCount(size);
        if (count == 0) {
            MerkleHash.emptyRoot(out, outOffset);
            return;
        }
        // Fold right to left: the rightmost peak is the innermost right subtree of the RFC's recursion.
        System.arraycopy(peaks, (count - 1) * HASH, scratch, 0, HASH);
        for (int i = count - 2; i >= 0; i--) {
            hasher.nodeHash(peaks, i * HASH, scratch, 0, scratch, 0);
        }
        System.arraycopy(scratch, 0, out, outOffset, HASH);
    }

    /**
     * The accumulator's whole state besides its size: the roots of the perfect subtrees the tree is made of, largest
     * (leftmost) first. Peak {@code i} covers the {@code 2^h} leaves after those of the peaks before it, where
     * {@code h} is the position of the {@code i}-th highest set bit of {@link #size()}. Persist it with the size to
     * {@link #restore} later.
     *
     * @return {@code Long.bitCount(size())} fresh 32-byte arrays
     */
    public List<byte[]> peaks() {
        int count = Long.bitCount(size);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] peak = new byte[HASH];
            System.arraycopy(peaks, i * HASH, peak, 0, HASH);
            out.add(peak);
        }
        return out;
    }

    /** Forgets every leaf, so {@link MerkleProofs} can reuse one accumulator for each subtree it hashes. */
    void clear() {
        size = 0;
    }

    /** @return an independent accumulator with the same leaves, e.g. to hand to another thread */
    public MerkleAccumulator copy() {
        return new MerkleAccumulator(new MerkleHash(), peaks.clone(), size);
    }
}
