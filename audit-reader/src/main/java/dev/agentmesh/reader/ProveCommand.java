package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.merkle.MerkleAccumulator;
import dev.agentmesh.audit.merkle.MerkleHash;
import dev.agentmesh.audit.merkle.MerkleVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code prove <dir> --seq N [--checkpoint F] [--out F]}: writes a proof, checkable offline, that record N is in the
 * tree a signed checkpoint commits to (a C2SP tlog-proof carrying the record; see {@link ProofFile}).
 *
 * <p>It reads and verifies the whole chain, and builds the proof while the records stream past
 * ({@link ProofPlan}), so memory stays O(log n) whatever the size of the trail. It writes a proof only if it
 * verifies against the checkpoint; errors go to stderr, since stdout may be the proof.
 */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = "Write an inclusion proof for one record (a c2sp.org/tlog-proof carrying the record), "
                + "checkable offline with verify-proof.")
public final class ProveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The audit directory (the Chronicle queue).")
    private Path dir;

    @Option(names = "--seq", required = true, paramLabel = "<n>", description = "The record to prove (its seq).")
    private long seq;

    @Option(names = "--checkpoint", paramLabel = "<file>",
            description = "The signed checkpoint to prove against. Default: checkpoint.note in <dir>.")
    private Path checkpointFile;

    @Option(names = "--out", paramLabel = "<file>", description = "Where to write the proof. Default: stdout.")
    private Path out;

    @Override
    public Integer call() throws ChainBreak, Verdict, IOException {
        if (seq < 0) {
            throw new ParameterException(spec.commandLine(), "--seq must be 0 or more, not " + seq);
        }
        if (!Files.isDirectory(dir)) {
            throw new NotATrailException(dir, Files.exists(dir) ? "not a directory" : "no such directory");
        }
        Path file = checkpointFile != null ? checkpointFile : dir.resolve(VerifyCommand.CHECKPOINT_FILE);
        if (checkpointFile == null && !Files.exists(file)) {
            throw new Verdict(ExitCodes.UNREADABLE, "no checkpoint to prove against: " + file + " is missing (the "
                    + "agent writes it when it has a checkpoint.key); name one with --checkpoint");
        }
        SignedCheckpoint signed = CheckpointFiles.read(file, "the checkpoint");
        Checkpoint checkpoint = signed.checkpoint();
        long size = checkpoint.size();
        if (seq >= size) {
            throw new Verdict(ExitCodes.TRUNCATED, "NOT COVERED: record " + seq + " is not in the checkpoint, "
                    + "which was signed at size " + size + (size == 0 ? "" : " (records 0 to " + (size - 1) + ")")
                    + "; prove it against a later checkpoint");
        }

        ProofPlan.Collector proof = ProofPlan.inclusion(seq, size).collector();
        MerkleAccumulator tree = new MerkleAccumulator();
        byte[][] record = {null};
        Trail.Summary summary = TrailLeaves.read(dir, (index, canonical, length, leaf) -> {
            if (index < size) {
                proof.add(index, leaf);
                tree.append(leaf);
            }
            if (index == seq) {
                record[0] = Arrays.copyOf(canonical, length);
            }
        });
        if (summary.count() < size) {
            throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: the trail has " + summary.count()
                    + " records, but the checkpoint " + file + " was signed at " + size);
        }
        if (!MessageDigest.isEqual(tree.root(), checkpoint.rootHash())) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: the first " + size + " records do not match the "
                    + "checkpoint " + file + " (Merkle root differs): the trail was rewritten");
        }
        List<byte[]> hashes = proof.proof();
        ProofFile result = new ProofFile(seq, record[0], hashes, signed);
        // The trail matches the checkpoint, so this holds; checked anyway, so no unverifiable proof is written.
        if (!MerkleVerifier.verifyInclusion(new MerkleHash().leafHash(record[0]), seq, size, hashes,
                checkpoint.rootHash())) {
            throw new IllegalStateException("the proof built for record " + seq + " does not verify");
        }
        String text = result.render();
        if (out == null) {
            spec.commandLine().getOut().print(text);
        } else {
            write(out, text);
            spec.commandLine().getOut().println("wrote " + out + ": record " + seq + " in the tree of size " + size
                    + ", " + hashes.size() + " proof hashes");
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** Written beside, then moved over, so a reader never sees half a proof. */
    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".proof", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
