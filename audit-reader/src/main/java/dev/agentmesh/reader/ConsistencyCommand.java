package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.merkle.MerkleAccumulator;
import dev.agentmesh.audit.merkle.MerkleVerifier;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code consistency <old-checkpoint> <new-checkpoint> --trail <dir> [--pubkey F [--key-name N]]}: checks that the
 * tree the new checkpoint signs extends the tree the old one signs, that the trail only grew in between (RFC 6962
 * §2.1.2 / RFC 9162 §2.1.4). The consistency proof is built from the trail's leaves while its chain is verified
 * ({@link ProofPlan}, O(log n) memory) and checked with {@link MerkleVerifier#verifyConsistency} against the two
 * signed roots alone.
 *
 * <p>One line on stdout, the verdict: {@code OK ...} with both sizes; {@code ROLLED BACK}, {@code FORK} or
 * {@code TRUNCATED} (exit 2); {@code SIGNATURE} (exit 3); {@code TAMPERED} (exit 1) when the trail matches neither
 * checkpoint or its chain breaks. A missing or garbled file is unreadable input (exit 4, stderr).
 */
@Command(name = "consistency", mixinStandardHelpOptions = true,
        description = "Check that a newer signed checkpoint extends an older one, with a consistency proof "
                + "built from the trail.")
public final class ConsistencyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<old-checkpoint>", description = "The earlier signed checkpoint.")
    private Path oldFile;

    @Parameters(index = "1", paramLabel = "<new-checkpoint>", description = "The later signed checkpoint.")
    private Path newFile;

    @Option(names = "--trail", required = true, paramLabel = "<dir>",
            description = "The audit directory whose records the proof is built from.")
    private Path trail;

    @Mixin
    private KeyOptions keyOptions;

    @Override
    public Integer call() throws Verdict {
        SignedCheckpoint older = CheckpointFiles.read(oldFile, "the old checkpoint");
        SignedCheckpoint newer = CheckpointFiles.read(newFile, "the new checkpoint");
        String verdict;
        int code;
        try {
            verdict = check(older, newer);
            code = ExitCodes.OK;
        } catch (Verdict v) {
            if (v.exitCode() == ExitCodes.UNREADABLE) {
                throw v;
            }
            verdict = v.getMessage();
            code = v.exitCode();
        } catch (ChainBreak e) {
            verdict = "TAMPERED at record " + e.index() + ": " + e.reason();
            code = ExitCodes.TAMPERED;
        }
        // The verdict is this command's output, as for verify.
        spec.commandLine().getOut().println(verdict);
        return code;
    }

    private String check(SignedCheckpoint olderSigned, SignedCheckpoint newerSigned) throws Verdict, ChainBreak {
        CheckpointVerifierKey key = keyOptions.key();
        CheckpointFiles.requireSignature(olderSigned, key, "the old checkpoint " + oldFile);
        CheckpointFiles.requireSignature(newerSigned, key, "the new checkpoint " + newFile);
        String signatures = CheckpointFiles.signatureNote(key, "signatures");
        Checkpoint older = olderSigned.checkpoint();
        Checkpoint newer = newerSigned.checkpoint();
        long m = older.size();
        long n = newer.size();
        if (m > n) {
            throw new Verdict(ExitCodes.TRUNCATED, "ROLLED BACK: the new checkpoint is of " + n + " records, fewer "
                    + "than the " + m + " of the old one: records were removed or an older trail was restored");
        }
        if (m == n) {
            if (!older.sameRoot(newer)) {
                throw new Verdict(ExitCodes.TRUNCATED, "FORK: both checkpoints are of " + n + " records, but their "
                        + "roots differ (old " + Hex.of(older.rootHash()) + ", new " + Hex.of(newer.rootHash())
                        + "): the trail was rewritten");
            }
            return "OK both checkpoints are of the same tree: size " + n + ", root " + Hex.of(newer.rootHash())
                    + "; " + signatures;
        }
        if (m == 0) {
            // Every tree extends the empty one; only the old root needs checking, and no trail.
            if (!MerkleVerifier.verifyConsistency(0, n, older.rootHash(), newer.rootHash(), List.of())) {
                throw new Verdict(ExitCodes.TRUNCATED, "FORK: the old checkpoint is of 0 records, but its root "
                        + Hex.of(older.rootHash()) + " is not the empty tree's");
            }
            return ok(older, newer, 0, signatures);
        }

        ProofPlan.Collector proof = ProofPlan.consistency(m, n).collector();
        MerkleAccumulator tree = new MerkleAccumulator();
        byte[][] roots = new byte[2][];
        Trail.Summary summary = TrailLeaves.read(trail, (index, canonical, length, leaf) -> {
            if (index < n) {
                proof.add(index, leaf);
                tree.append(leaf);
                if (tree.size() == m) {
                    roots[0] = tree.root();
                } else if (tree.size() == n) {
                    roots[1] = tree.root();
                }
            }
        });
        if (summary.count() < n) {
            throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: the trail has " + summary.count() + " records, but "
                    + "the new checkpoint was signed at " + n + ": it cannot show that the new checkpoint extends "
                    + "the old one");
        }
        List<byte[]> hashes = proof.proof();
        if (MerkleVerifier.verifyConsistency(m, n, older.rootHash(), newer.rootHash(), hashes)) {
            return ok(older, newer, hashes.size(), signatures);
        }
        // Why not: which of the two checkpoints does the trail agree with?
        boolean matchesOld = MessageDigest.isEqual(roots[0], older.rootHash());
        boolean matchesNew = MessageDigest.isEqual(roots[1], newer.rootHash());
        if (!matchesOld && !matchesNew) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: the trail matches neither checkpoint (its first " + m
                    + " records differ from the old one, its first " + n + " from the new one): it was rewritten, "
                    + "and says nothing about the two checkpoints");
        }
        if (matchesNew) {
            // The trail is the new checkpoint's tree, and its prefix is not the old one: a proven fork.
            throw new Verdict(ExitCodes.TRUNCATED, "FORK: the new checkpoint does not extend the old one: the trail "
                    + "matches the new checkpoint, but its first " + m + " records do not match the old one");
        }
        throw new Verdict(ExitCodes.TRUNCATED, "FORK: the new checkpoint is not of this trail, so nothing shows it "
                + "extends the old one: the trail holds the old checkpoint's " + m + " records, but its first " + n
                + " do not match the new checkpoint (records after " + m + " were rewritten, or the new checkpoint "
                + "signs another trail)");
    }

    private static String ok(Checkpoint older, Checkpoint newer, int proofHashes, String signatures) {
        return "OK the new checkpoint (size " + newer.size() + ") extends the old one (size " + older.size()
                + "): consistency proof of " + proofHashes + " hashes verified, root " + Hex.of(older.rootHash())
                + " -> " + Hex.of(newer.rootHash()) + "; " + signatures;
    }
}
