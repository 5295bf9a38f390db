package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code verify <dir> [--pubkey F] [--anchor F] [--state F]}: checks the hash chain and builds the Merkle tree,
 * then holds the trail against its signed checkpoint ({@code checkpoint.note} in the directory), the anchor copy,
 * and the state a previous run remembered. Prints one line: {@code OK <count> records, head <hash>, <n> denials,
 * root <hash>} followed by what else was checked. If the writer's clock went back somewhere ({@link ClockSteps}),
 * {@code notice: } lines follow the OK line; they are information for an auditor, not a failure, and the exit code
 * stays 0.
 *
 * <p>{@code verify --kafka <bootstrap> [--topic T] [--pubkey F]}: the same for every trail that agents in fleet mode
 * shipped to a Kafka topic, each writer's stream on its own chain and tree, and held against that writer's newest
 * signed checkpoint on the checkpoint topic. A gap, a duplicate or a changed record in any writer's stream is named.
 * Prints {@code OK <n> writers, <count> records on <topic>}, then a line per writer.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify the trail's hash chain and Merkle tree, its signed checkpoints, and the remembered "
                + "state; or, with --kafka, every trail shipped to a Kafka topic by fleet mode.",
            "Where the writer's clock went back, 'notice:' lines follow the OK line; that is no failure (exit 0)."})
public final class VerifyCommand implements Callable<Integer> {

    /** The checkpoint file the agent keeps in the audit directory. */
    static final String CHECKPOINT_FILE = "checkpoint.note";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", arity = "0..1",
            description = "The audit directory (the Chronicle queue); not with --kafka.")
    private Path dir;

    @Mixin
    private KafkaOptions kafka;

    @Mixin
    private KeyOptions keyOptions;

    @Option(names = "--anchor", paramLabel = "<file>",
            description = "The anchor copy of the checkpoint, kept outside the audit directory.")
    private Path anchor;

    @Option(names = "--state", paramLabel = "<file>",
            description = "Remembers the verified size and root; the next run fails if the trail shrank or changed.")
    private Path state;

    @Option(names = "--progress", paramLabel = "<when>", defaultValue = "auto",
            description = "Show a progress bar on stderr: auto (when stderr is a terminal), always or never. "
                    + "Default: auto.")
    private Progress.When progress;

    @Override
    public Integer call() throws ChainBreak, Verdict, IOException {
        if (kafka.given()) {
            if (dir != null || anchor != null || state != null) {
                throw new ParameterException(spec.commandLine(), "verify takes an audit directory or --kafka, not "
                        + "both (--anchor and --state are for a directory)");
            }
            return new TopicVerification(kafka.source(), readKey()).run(spec.commandLine().getOut());
        }
        if (dir == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: '<dir>' (or --kafka "
                    + "<bootstrap>)");
        }
        CheckpointVerifierKey key = readKey();
        List<Held> checkpoints = new ArrayList<>();
        Path inDir = dir.resolve(CHECKPOINT_FILE);
        if (Files.exists(inDir)) {
            checkpoints.add(new Held("the checkpoint in the directory", "checkpoint", signed(inDir, key)));
        }
        if (anchor != null) {
            if (!Files.isRegularFile(anchor)) {
                throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: the anchor " + anchor + " is missing");
            }
            checkpoints.add(new Held("the anchor", "anchor", signed(anchor, key)));
        }
        if (key != null && checkpoints.isEmpty()) {
            throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: --pubkey given, but the trail has no signed checkpoint");
        }
        Checkpoint remembered = state != null && Files.exists(state) ? readState() : null;

        Set<Long> sizes = new HashSet<>();
        checkpoints.forEach(c -> sizes.add(c.checkpoint.size()));
        if (remembered != null) {
            sizes.add(remembered.size());
        }
        TreeWitness tree = new TreeWitness(sizes);
        String[] firstWriter = {null};
        ClockSteps clock = new ClockSteps();
        Trail.Summary summary;
        try (Progress bar = Progress.start(progress, spec.commandLine().getErr(), () -> Trail.count(dir))) {
            summary = Trail.verify(dir, record -> {
                bar.step();
                clock.accept(record.seq(), record.view().timeMillis());
                if (firstWriter[0] == null && record.type() == RecordType.GENESIS) {
                    firstWriter[0] = record.view().text(RecordView.Text.WRITER_ID);
                }
            }, tree);
        }

        StringBuilder also = new StringBuilder();
        for (Held c : checkpoints) {
            long size = c.checkpoint.size();
            if (summary.count() < size) {
                throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: the trail has " + summary.count()
                        + " records, but " + c.source + " was signed at " + size);
            }
            if (!c.checkpoint.sameRoot(checkpointOf(size, tree.rootAt(size)))) {
                throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: the first " + size + " records do not match "
                        + c.source + " (Merkle root differs): the trail was rewritten");
            }
            also.append(", ").append(c.label).append(" at ").append(size)
                    .append(key != null ? " signed and matching" : " matching");
        }
        if (remembered != null) {
            long size = remembered.size();
            if (summary.count() < size) {
                throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: the trail has " + summary.count()
                        + " records, but the state file remembers " + size + ": truncated or rolled back");
            }
            if (!remembered.sameRoot(checkpointOf(size, tree.rootAt(size)))) {
                throw new Verdict(ExitCodes.TRUNCATED, "ROLLED BACK: the first " + size + " records differ from "
                        + "what the state file remembers: an older or forked copy of the trail");
            }
            also.append(", state ").append(size).append(" -> ").append(summary.count());
        }
        if (state != null) {
            writeState(Checkpoint.of(Checkpoint.trailOrigin(firstWriter[0] == null || firstWriter[0].isEmpty()
                    ? "unknown" : firstWriter[0]), summary.count(), tree.root(), System.currentTimeMillis()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("OK " + summary.count() + " records, head "
                + Hex.of(summary.headHash()) + ", " + summary.denials() + " denials, root " + Hex.of(tree.root())
                + also);
        // After the verdict, which stays the first line: the trail verified, and this is what an auditor should know.
        clock.notices().forEach(out::println);
        return ExitCodes.OK;
    }

    private CheckpointVerifierKey readKey() throws Verdict {
        return keyOptions.key();
    }

    private static SignedCheckpoint signed(Path file, CheckpointVerifierKey key) throws Verdict {
        byte[] note;
        try {
            note = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: " + file + " is not a readable signed checkpoint: "
                    + e.getMessage());
        }
        return signed(note, file.toString(), key);
    }

    /**
     * @param note a signed checkpoint note
     * @param what how messages name it
     * @param key the key it must be signed with, or {@code null}
     * @return the parsed checkpoint, its signature checked if a key is given
     * @throws Verdict ({@link ExitCodes#SIGNATURE}) if it cannot be parsed or its signature does not verify
     */
    static SignedCheckpoint signed(byte[] note, String what, CheckpointVerifierKey key) throws Verdict {
        SignedCheckpoint c;
        try {
            c = SignedCheckpoint.parse(note);
        } catch (RuntimeException e) {
            throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: " + what + " is not a readable signed checkpoint: "
                    + e.getMessage());
        }
        if (key != null && !c.verify(key)) {
            throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: " + what + " carries no valid signature by key '"
                    + key.name() + "'");
        }
        return c;
    }

    private Checkpoint readState() throws Verdict {
        try {
            return Checkpoint.parse(Files.readString(state, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new Verdict(ExitCodes.UNREADABLE, "the state file " + state + " is unreadable: " + e.getMessage());
        }
    }

    /** Written beside, then moved over, so a crash never leaves half a state file. */
    private void writeState(Checkpoint verified) throws IOException {
        Path parent = state.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".state", ".tmp");
        try {
            Files.writeString(tmp, verified.body(), StandardCharsets.UTF_8);
            Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Checkpoint checkpointOf(long size, byte[] root) {
        return Checkpoint.of("computed", size, root, 0);
    }

    /** A checkpoint and where it came from, for messages. */
    private record Held(String source, String label, Checkpoint checkpoint) {
        Held(String source, String label, SignedCheckpoint signed) {
            this(source, label, signed.checkpoint());
        }
    }
}
