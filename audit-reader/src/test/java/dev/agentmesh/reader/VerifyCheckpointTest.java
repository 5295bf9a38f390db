package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.merkle.MerkleAccumulator;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} holds the trail against its signed checkpoint, the anchor and the remembered state: each check is
 * shown passing and catching the attack it is for, with its exit code.
 */
class VerifyCheckpointTest {

    private static final int RECORDS = 30;

    @TempDir
    Path tmp;
    Path dir;
    CheckpointSigner signer;
    Path pubkey;
    byte[] root;

    @BeforeEach
    void trailWithItsSignedCheckpoint() throws Exception {
        dir = tmp.resolve("trail");
        TrailFixture.standard(dir, RECORDS).close();
        signer = KeyFiles.generate(tmp.resolve("k.pem"), tmp.resolve("k.pub.pem"), "ops");
        pubkey = tmp.resolve("k.pub.pem");
        root = rootOf(dir, RECORDS);
        writeCheckpoint(dir.resolve("checkpoint.note"), RECORDS, root, signer);
    }

    @Test
    void aSignedMatchingCheckpointVerifies() {
        Cli.Result r = Cli.run("verify", dir.toString(), "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("root " + Hex.of(root))
                .contains(", checkpoint at 30 signed and matching");
    }

    @Test
    void aVkeyNamesItselfAndAPemKeyDefaultsToTheAgentsKeyName() throws Exception {
        Path vkey = Files.writeString(tmp.resolve("ops.vkey"), signer.verifierKey().vkey() + "\n");
        Cli.Result r = Cli.run("verify", dir.toString(), "--pubkey", vkey.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        Cli.Result pemWithoutName = Cli.run("verify", dir.toString(), "--pubkey", pubkey.toString());
        assertThat(pemWithoutName.exitCode()).as("the PEM key is taken as 'agentmesh', not 'ops'")
                .isEqualTo(ExitCodes.SIGNATURE);
    }

    @Test
    void aCheckpointByAnotherKeyIsASignatureProblem() throws Exception {
        writeCheckpoint(dir.resolve("checkpoint.note"), RECORDS, root, CheckpointSigner.generate("ops"));
        Cli.Result r = Cli.run("verify", dir.toString(), "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(r.out()).startsWith("SIGNATURE: ").contains("no valid signature by key 'ops'").hasLineCount(1);
    }

    @Test
    void aKeyButNoCheckpointIsASignatureProblem() throws Exception {
        Files.delete(dir.resolve("checkpoint.note"));
        Cli.Result r = Cli.run("verify", dir.toString(), "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(r.out()).contains("no signed checkpoint");
    }

    @Test
    void aTrailShorterThanItsCheckpointIsTruncated() throws Exception {
        writeCheckpoint(dir.resolve("checkpoint.note"), RECORDS + 5, root, signer);
        Cli.Result r = Cli.run("verify", dir.toString(), "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(r.out()).isEqualTo("TRUNCATED: the trail has 30 records, but the checkpoint in the directory "
                + "was signed at 35\n");
    }

    @Test
    void aRechainedForgeryIsCaughtByTheSignedRoot() throws Exception {
        // A forger controls the writer and rebuilds a consistent chain of the same length: only the signed
        // checkpoint (or the anchor) can tell.
        Path forged = tmp.resolve("forged");
        try (TrailFixture f = TrailFixture.create(forged)) {
            while (f.size() < RECORDS) {
                f.decision(dev.agentmesh.audit.format.RecordType.CALL_DENIED, "forger", 3, 0, "", "X", "y", "()V");
            }
        }
        Files.copy(dir.resolve("checkpoint.note"), forged.resolve("checkpoint.note"));
        assertThat(Cli.run("verify", forged.toString()).out()).as("the chain alone is consistent")
                .startsWith("TAMPERED: the first 30 records do not match");
        Cli.Result r = Cli.run("verify", forged.toString(), "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.out()).contains("Merkle root differs");
    }

    @Test
    void theAnchorCatchesACheckpointDeletedWithTheTail() throws Exception {
        Path anchor = tmp.resolve("anchor.note");
        writeCheckpoint(anchor, RECORDS + 10, rootOf(dir, RECORDS), signer);
        Files.delete(dir.resolve("checkpoint.note"));
        Cli.Result r = Cli.run("verify", dir.toString(), "--anchor", anchor.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(r.out()).contains("but the anchor was signed at 40");

        Cli.Result missing = Cli.run("verify", dir.toString(), "--anchor", tmp.resolve("gone.note").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(missing.out()).contains("the anchor").contains("is missing");
    }

    @Test
    void theStateFileCatchesTruncationAndRollback() throws Exception {
        Path state = tmp.resolve("state/verified.checkpoint");
        Cli.Result first = Cli.run("verify", dir.toString(), "--state", state.toString());
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
        assertThat(Checkpoint.parse(Files.readString(state)).size()).isEqualTo(RECORDS);
        assertThat(Cli.run("verify", dir.toString(), "--state", state.toString()).out()).contains("state 30 -> 30");

        Path older = tmp.resolve("older");
        TrailFixture.standard(older, RECORDS - 10).close();
        Cli.Result shorter = Cli.run("verify", older.toString(), "--state", state.toString());
        assertThat(shorter.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(shorter.out()).startsWith("TRUNCATED: the trail has 20 records, but the state file remembers 30");

        Path fork = tmp.resolve("fork");
        try (TrailFixture f = TrailFixture.create(fork)) {
            while (f.size() < RECORDS) {
                f.decision(dev.agentmesh.audit.format.RecordType.CALL_DENIED, "other", 3, 0, "", "X", "y", "()V");
            }
        }
        Cli.Result forked = Cli.run("verify", fork.toString(), "--state", state.toString());
        assertThat(forked.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(forked.out()).startsWith("ROLLED BACK: ");
        assertThat(Checkpoint.parse(Files.readString(state)).size()).as("a failed run keeps the state").isEqualTo(30);
    }

    @Test
    void anUnreadableStateFileIsUnreadableInput() throws Exception {
        Path state = Files.writeString(tmp.resolve("bad.state"), "garbage");
        Cli.Result r = Cli.run("verify", dir.toString(), "--state", state.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
    }

    private static void writeCheckpoint(Path file, long size, byte[] root, CheckpointSigner signer) throws Exception {
        Files.write(file, SignedCheckpoint.sign(Checkpoint.of(Checkpoint.trailOrigin("writer-1"), size, root,
                1_700_000_000_000L), signer).toBytes());
    }

    /** The Merkle root of the first {@code size} records, computed independently of the reader. */
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
        return tree.root();
    }
}
