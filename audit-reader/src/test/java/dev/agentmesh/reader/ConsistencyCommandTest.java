package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.merkle.MerkleHash;
import dev.agentmesh.audit.merkle.MerkleVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consistency} checks that a newer checkpoint extends an older one, with a consistency proof built from the
 * trail: growth passes, and a rollback, a fork, a rewritten trail and a bad signature are each caught.
 */
class ConsistencyCommandTest {

    private static final int RECORDS = 40;

    @TempDir
    Path tmp;
    Path dir;
    CheckpointSigner signer;
    Path pubkey;

    @BeforeEach
    void trailAndKey() throws Exception {
        dir = tmp.resolve("trail");
        TrailFixture.standard(dir, RECORDS).close();
        signer = KeyFiles.generate(tmp.resolve("k.pem"), tmp.resolve("k.pub.pem"), "ops");
        pubkey = tmp.resolve("k.pub.pem");
    }

    @Test
    void aGrowingTrailIsConsistentAtEverySize() throws Exception {
        long[][] pairs = {{1, 40}, {20, 40}, {16, 32}, {20, 21}, {39, 40}, {7, 13}, {1, 2}};
        for (long[] p : pairs) {
            Path older = checkpoint(p[0]);
            Path newer = checkpoint(p[1]);
            Cli.Result r = consistency(older, newer, "--pubkey", pubkey.toString(), "--key-name", "ops");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).hasLineCount(1).isEqualTo("OK the new checkpoint (size " + p[1] + ") extends the "
                    + "old one (size " + p[0] + "): consistency proof of "
                    + MerkleVerifier.consistencyProofLength(p[0], p[1]) + " hashes verified, root "
                    + Hex.of(ProofSupport.rootOf(dir, p[0])) + " -> " + Hex.of(ProofSupport.rootOf(dir, p[1]))
                    + "; signatures by key 'ops' (key ID " + signer.verifierKey().keyIdHex() + ") verified\n");
        }
    }

    @Test
    void theSameTreeAndTheEmptyTreeNeedNoProof() throws Exception {
        Path c = checkpoint(RECORDS);
        Cli.Result same = consistency(c, c);
        assertThat(same.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(same.out()).isEqualTo("OK both checkpoints are of the same tree: size 40, root "
                + Hex.of(ProofSupport.rootOf(dir, RECORDS)) + "; signatures not checked (no --pubkey)\n");

        Path empty = ProofSupport.writeCheckpoint(tmp.resolve("c0.note"), 0, MerkleHash.emptyRoot(), signer);
        Cli.Result fromEmpty = consistency(empty, c);
        assertThat(fromEmpty.exitCode()).as(fromEmpty.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fromEmpty.out()).startsWith("OK the new checkpoint (size 40) extends the old one (size 0)");

        Path notEmpty = ProofSupport.writeCheckpoint(tmp.resolve("c0bad.note"), 0, new byte[32], signer);
        Cli.Result bad = consistency(notEmpty, c);
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(bad.out()).startsWith("FORK: the old checkpoint is of 0 records, but its root");
    }

    @Test
    void aSmallerNewCheckpointIsARollback() throws Exception {
        Cli.Result r = consistency(checkpoint(RECORDS), checkpoint(20));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(r.out()).isEqualTo("ROLLED BACK: the new checkpoint is of 20 records, fewer than the 40 of the "
                + "old one: records were removed or an older trail was restored\n");
    }

    @Test
    void theSameSizeWithAnotherRootIsAFork() throws Exception {
        Path other = tmp.resolve("other");
        forgedTrail(other, 0, RECORDS);
        Path ours = checkpoint(RECORDS);
        Path theirs = ProofSupport.checkpointOf(other, RECORDS, tmp.resolve("theirs.note"), signer);
        Cli.Result r = consistency(ours, theirs, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(r.out()).startsWith("FORK: both checkpoints are of 40 records, but their roots differ (old "
                + Hex.of(ProofSupport.rootOf(dir, RECORDS)) + ", new ").hasLineCount(1);
    }

    @Test
    void aNewCheckpointThatDoesNotExtendTheOldOneFailsItsProof() throws Exception {
        // Another trail that shares our first 20 records, then goes its own way: a fork after 20.
        Path fork = tmp.resolve("fork");
        forgedTrail(fork, 20, RECORDS);
        Path old20 = checkpoint(20);
        Path old30 = checkpoint(30);
        Path fork40 = ProofSupport.checkpointOf(fork, RECORDS, tmp.resolve("fork40.note"), signer);

        Cli.Result shared = consistency(old20, fork40, fork);
        assertThat(shared.exitCode()).as("the fork does extend the common prefix: " + shared)
                .isEqualTo(ExitCodes.OK);

        Cli.Result proven = consistency(old30, fork40, fork);
        assertThat(proven.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(proven.out()).isEqualTo("FORK: the new checkpoint does not extend the old one: the trail matches "
                + "the new checkpoint, but its first 30 records do not match the old one\n");

        Cli.Result ours = consistency(old30, fork40, dir);
        assertThat(ours.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(ours.out()).startsWith("FORK: the new checkpoint is not of this trail, so nothing shows it "
                + "extends the old one: the trail holds the old checkpoint's 30 records, but its first 40 do not "
                + "match the new checkpoint");

        Path stranger = tmp.resolve("stranger");
        forgedTrail(stranger, 0, RECORDS);
        Cli.Result neither = consistency(old30, fork40, stranger);
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(neither.out()).startsWith("TAMPERED: the trail matches neither checkpoint");
    }

    @Test
    void badSignaturesAreSignatureProblems() throws Exception {
        Path old20 = checkpoint(20);
        Path byIntruder = ProofSupport.checkpointOf(dir, RECORDS, tmp.resolve("intruder.note"),
                CheckpointSigner.generate("ops"));
        Cli.Result r = consistency(old20, byIntruder, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(r.out()).isEqualTo("SIGNATURE: the new checkpoint " + byIntruder + ": no signature by key ops "
                + "(key ID " + signer.verifierKey().keyIdHex() + ")\n");
        assertThat(consistency(old20, byIntruder).exitCode()).as("the trees are consistent; only the key is wrong")
                .isEqualTo(ExitCodes.OK);

        // An edited body under a genuine signature line.
        byte[] root = ProofSupport.rootOf(dir, 20);
        byte[] wrong = root.clone();
        wrong[0] ^= 1;
        String note = Files.readString(old20).replace(Base64.getEncoder().encodeToString(root),
                Base64.getEncoder().encodeToString(wrong));
        Path edited = Files.writeString(tmp.resolve("edited.note"), note);
        Cli.Result e = consistency(edited, checkpoint(RECORDS), "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(e.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(e.out()).startsWith("SIGNATURE: the old checkpoint " + edited).contains("does not verify");
    }

    @Test
    void aTrailTooShortOrBrokenCannotProveAnything() throws Exception {
        Path old20 = checkpoint(20);
        Path new45 = ProofSupport.writeCheckpoint(tmp.resolve("c45.note"), 45, new byte[32], signer);
        Cli.Result shortTrail = consistency(old20, new45);
        assertThat(shortTrail.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(shortTrail.out()).startsWith("TRUNCATED: the trail has 40 records, but the new checkpoint was "
                + "signed at 45");

        Path new40 = checkpoint(RECORDS);
        TrailFixture.flipByteOf(dir, TrailFixture.agentId(11));
        Cli.Result broken = consistency(old20, new40);
        assertThat(broken.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(broken.out()).startsWith("TAMPERED at record 11: hash mismatch").hasLineCount(1);
    }

    @Test
    void missingInputsAreUnreadable() throws Exception {
        Path c = checkpoint(20);
        Cli.Result missing = consistency(c, tmp.resolve("gone.note"));
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(missing.err()).startsWith("the new checkpoint ").endsWith("gone.note is missing\n");
        assertThat(missing.out()).isEmpty();

        Cli.Result noTrail = Cli.run("consistency", c.toString(), checkpoint(RECORDS).toString());
        assertThat(noTrail.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(noTrail.err()).contains("--trail").hasLineCount(1);

        Cli.Result noDir = consistency(c, checkpoint(RECORDS), tmp.resolve("nope"));
        assertThat(noDir.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(noDir.err()).endsWith("no such directory\n");
    }

    private Path checkpoint(long size) throws Exception {
        return ProofSupport.checkpointOf(dir, size, tmp.resolve("c" + size + ".note"), signer);
    }

    private Cli.Result consistency(Path older, Path newer, String... options) {
        return consistency(older, newer, dir, options);
    }

    private static Cli.Result consistency(Path older, Path newer, Path trail, String... options) {
        List<String> args = new ArrayList<>(List.of("consistency", older.toString(), newer.toString(), "--trail",
                trail.toString()));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The standard trail's first {@code shared} records, then DENY records of an agent of its own. */
    private static void forgedTrail(Path dir, int shared, int records) {
        try (TrailFixture f = shared == 0 ? TrailFixture.create(dir) : TrailFixture.standard(dir, shared)) {
            while (f.size() < records) {
                f.decision(RecordType.CALL_DENIED, "forger", 3, 0, "", "X", "y", "()V");
            }
        }
    }
}
