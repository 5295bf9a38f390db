package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.merkle.MerkleAccumulator;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/** Checkpoints for the proof tests, with roots computed from the stored bytes, independently of the reader. */
final class ProofSupport {

    static final long CHECKPOINT_TIME = 1_767_225_600_000L;

    private ProofSupport() {
    }

    /** Signs a checkpoint of {@code size} records with {@code root} and writes the note to {@code file}. */
    static Path writeCheckpoint(Path file, long size, byte[] root, CheckpointSigner signer) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, SignedCheckpoint.sign(Checkpoint.of(Checkpoint.trailOrigin("writer-1"), size, root,
                CHECKPOINT_TIME), signer).toBytes());
    }

    /** Signs a checkpoint of the first {@code size} records of the trail in {@code dir}. */
    static Path checkpointOf(Path dir, long size, Path file, CheckpointSigner signer) throws Exception {
        return writeCheckpoint(file, size, rootOf(dir, size), signer);
    }

    /** The Merkle root of the first {@code size} records, hashed straight from the queue's stored bytes. */
    static byte[] rootOf(Path dir, long size) throws Exception {
        MerkleAccumulator tree = new MerkleAccumulator();
        MerkleHash hash = new MerkleHash();
        try (SingleChronicleQueue q = TrailQueue.openForReading(dir)) {
            TrailQueue.readAll(q, (stored, length, index) -> {
                if (tree.size() < size) {
                    tree.append(hash.leafHash(Arrays.copyOf(stored, length - TrailFormat.HASH_LENGTH)));
                }
                return true;
            });
        }
        if (tree.size() < size) {
            throw new IllegalArgumentException("the trail has only " + tree.size() + " records");
        }
        return tree.root();
    }

    /** The canonical bytes of record {@code seq}, straight from the queue. */
    static byte[] recordOf(Path dir, long seq) throws Exception {
        byte[][] found = {null};
        long[] i = {0};
        try (SingleChronicleQueue q = TrailQueue.openForReading(dir)) {
            TrailQueue.readAll(q, (stored, length, index) -> {
                if (i[0]++ == seq) {
                    found[0] = Arrays.copyOf(stored, length - TrailFormat.HASH_LENGTH);
                    return false;
                }
                return true;
            });
        }
        return found[0];
    }
}
