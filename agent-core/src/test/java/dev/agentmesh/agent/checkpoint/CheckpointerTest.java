package dev.agentmesh.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.merkle.MerkleAccumulator;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed checkpoints of the trail's Merkle tree, written off the caller's thread, mirrored to an anchor. */
class CheckpointerTest {

    private static final byte[] S = "s".getBytes();

    @Test
    void checkpointsAreSignedCoverTheTreeAndAreMirroredToTheAnchor(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("audit");
        Path anchor = tmp.resolve("elsewhere/anchor.note");
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo("writer-1", new byte[32], "p"), 10_000);
        trail.open();
        CheckpointSigner signer = CheckpointSigner.generate("test-key");
        Checkpointer checkpointer = new Checkpointer(trail,
                CheckpointConfig.builder().anchor(anchor).everyRecords(10).intervalMillis(60_000).build(), signer);
        checkpointer.start(getClass().getClassLoader());
        RecordEncoder encoder = new RecordEncoder();
        for (int i = 0; i < 25; i++) {
            trail.append(encoder.decision(RecordType.CALL_DENIED, 0, 0, 3, 0, S, S, S, S, S, new byte[32]));
        }
        Path note = dir.resolve(CheckpointConfig.FILE_NAME);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.exists(note) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        SignedCheckpoint every10 = SignedCheckpoint.parse(Files.readString(note));
        assertThat(every10.verify(signer.verifierKey())).isTrue();
        assertThat(every10.checkpoint().size()).as("a checkpoint once 10 records are in").isBetween(10L, 26L);

        checkpointer.stopAndWait();
        SignedCheckpoint last = SignedCheckpoint.parse(Files.readString(note));
        assertThat(last.checkpoint().size()).as("the last one covers every record").isEqualTo(26);
        assertThat(last.verify(signer.verifierKey())).isTrue();
        assertThat(last.verify(CheckpointSigner.generate("test-key").verifierKey())).as("another key").isFalse();
        assertThat(last.checkpoint().rootHash()).isEqualTo(rootOf(dir));
        assertThat(last.checkpoint().origin()).contains("writer-1");
        assertThat(Files.readString(anchor)).isEqualTo(Files.readString(note));
        trail.close();
    }

    @Test
    void noCheckpointIsSignedOnceTheTrailsFilesAreDeletedUnderIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir);
        Checkpointer checkpointer = checkpointingEveryRecord(trail);
        RecordEncoder encoder = new RecordEncoder();
        trail.append(encoder.decision(RecordType.CALL_DENIED, 0, 0, 3, 0, S, S, S, S, S, new byte[32]));
        Path note = dir.resolve(CheckpointConfig.FILE_NAME);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.exists(note) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(note).exists();

        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        // Before the trail sees its files gone, this record goes into them: the checkpointer reads it and is due.
        trail.append(encoder.decision(RecordType.CALL_DENIED, 0, 0, 3, 0, S, S, S, S, S, new byte[32]));
        while (!trail.filesLost() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(300);
        assertThat(dir).as("the checkpointer does not put the directory back to sign into it").doesNotExist();

        Files.createDirectories(dir);
        while (trail.generation() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        trail.append(encoder.decision(RecordType.CALL_DENIED, 0, 0, 3, 0, S, S, S, S, S, new byte[32]));
        checkpointer.stopAndWait();
        assertThat(note).as("a tree of the deleted files would not match the new trail").doesNotExist();
        trail.close();
    }

    /**
     * A record damaged further back than the head: the agent continues the trail (its head verifies), but the
     * checkpointer, replaying it, finds the break and signs nothing over it. The same trail undamaged is signed.
     */
    @Test
    void noCheckpointIsSignedOverARecordDamagedBeforeThisRun(@TempDir Path tmp) throws Exception {
        for (boolean damaged : new boolean[] {false, true}) {
            Path dir = tmp.resolve(damaged ? "damaged" : "intact");
            AuditTrail earlier = openTrail(dir);
            RecordEncoder encoder = new RecordEncoder();
            for (String agent : new String[] {"agent-one", "agent-two", "agent-six", "agent-ten"}) {
                earlier.append(encoder.decision(RecordType.CALL_DENIED, 0, 0, 3, 0, agent.getBytes(), S, S, S, S,
                        new byte[32]));
            }
            earlier.close();
            if (damaged) {
                replaceOnce(dir, "agent-two", "agent-twx");
            }

            AuditTrail trail = openTrail(dir);
            Checkpointer checkpointer = checkpointingEveryRecord(trail);
            trail.append(encoder.decision(RecordType.CALL_DENIED, 0, 0, 3, 0, S, S, S, S, S, new byte[32]));
            checkpointer.stopAndWait();
            trail.close();

            Path note = dir.resolve(CheckpointConfig.FILE_NAME);
            if (damaged) {
                assertThat(note).as("a signature would vouch for the damaged record").doesNotExist();
            } else {
                assertThat(SignedCheckpoint.parse(Files.readString(note)).checkpoint().size()).isEqualTo(7);
            }
        }
    }

    private static AuditTrail openTrail(Path dir) {
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo("writer-1", new byte[32], "p"), 10_000);
        trail.open();
        return trail;
    }

    /** A checkpointer due after every record, at most every 100 ms: started. */
    private Checkpointer checkpointingEveryRecord(AuditTrail trail) {
        Checkpointer checkpointer = new Checkpointer(trail,
                CheckpointConfig.builder().everyRecords(1).intervalMillis(100).build(),
                CheckpointSigner.generate("test-key"));
        checkpointer.start(getClass().getClassLoader());
        return checkpointer;
    }

    /** Replaces the only occurrence of {@code from} in the trail's cycle files, as damage on disk would. */
    private static void replaceOnce(Path dir, String from, String to) throws Exception {
        int found = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cq4")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                byte[] needle = from.getBytes();
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                        System.arraycopy(to.getBytes(), 0, bytes, i, needle.length);
                        found++;
                    }
                }
                Files.write(f, bytes);
            }
        }
        assertThat(found).isEqualTo(1);
    }

    /** The root recomputed independently from the records on disk. */
    private static byte[] rootOf(Path dir) throws Exception {
        MerkleAccumulator tree = new MerkleAccumulator();
        MerkleHash hash = new MerkleHash();
        try (SingleChronicleQueue q = TrailQueue.openForReading(dir)) {
            TrailQueue.readAll(q, (stored, length, index) -> {
                byte[] record = java.util.Arrays.copyOf(stored, length - TrailFormat.HASH_LENGTH);
                tree.append(hash.leafHash(record));
                return true;
            });
        }
        return tree.root();
    }
}
