package dev.agentmesh.audit.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The state a verifier remembers between runs ({@code verify --state FILE}), as {@code rekor-cli} does: the last
 * signed checkpoint it verified. The file holds exactly that signed note's text, nothing else.
 *
 * <p>On the next run, {@link #compare} classifies the new checkpoint against the remembered one:
 * <ul>
 * <li>{@link Verdict#OK}: the same tree (same size, same root);
 * <li>{@link Verdict#NEEDS_CONSISTENCY_PROOF}: a larger tree; it is good only if a consistency proof shows the old
 *     tree is a prefix of the new one. {@link #check} takes that proof as a {@link ConsistencyCheck} and turns this
 *     verdict into {@code OK} or {@code FORK};
 * <li>{@link Verdict#ROLLBACK}: a smaller tree: records were cut off, or an old trail was put back;
 * <li>{@link Verdict#FORK}: the same size with another root, or a larger tree that does not extend the old one.
 * </ul>
 *
 * Origins and times are not compared: the origin names the writer run, which may change while one trail grows.
 *
 * <p>{@link #write} replaces the file atomically (a temporary file in the same directory, flushed to disk, then
 * renamed over it), so a crash leaves either the old state or the new, never a torn file.
 */
public final class CheckpointState {

    /** How a new checkpoint relates to the remembered one. */
    public enum Verdict {
        /** The same tree, or one that is known to extend it. */
        OK,
        /** A larger tree; good only once a consistency proof from the old size to the new is verified. */
        NEEDS_CONSISTENCY_PROOF,
        /** The tree is smaller than the remembered one. */
        ROLLBACK,
        /** The tree disagrees with the remembered one. */
        FORK
    }

    /**
     * The hook for consistency proofs (RFC 6962 / RFC 9162 section 2.1.4): whether the tree of {@code older} is a
     * prefix of the tree of {@code newer}. Called only when {@code newer} is larger. With {@code older} of size 0
     * the proof is empty, and holds if {@code older}'s root is the empty tree's, {@code SHA-256("")}.
     */
    @FunctionalInterface
    public interface ConsistencyCheck {
        /**
         * @param older the remembered checkpoint
         * @param newer the new checkpoint, of a larger tree
         * @return whether a consistency proof from {@code older} to {@code newer} verifies
         * @throws IOException if the proof cannot be obtained
         */
        boolean consistent(Checkpoint older, Checkpoint newer) throws IOException;
    }

    /** A verdict with the two checkpoints and a one-line explanation. */
    public static final class Result {

        private final Verdict verdict;
        private final Checkpoint previous;
        private final Checkpoint current;
        private final String message;

        Result(Verdict verdict, Checkpoint previous, Checkpoint current, String message) {
            this.verdict = verdict;
            this.previous = previous;
            this.current = current;
            this.message = message;
        }

        /** @return the verdict */
        public Verdict verdict() {
            return verdict;
        }

        /** @return whether the verdict is {@link Verdict#OK} */
        public boolean ok() {
            return verdict == Verdict.OK;
        }

        /** @return the remembered checkpoint, if there was one */
        public Optional<Checkpoint> previous() {
            return Optional.ofNullable(previous);
        }

        /** @return the new checkpoint */
        public Checkpoint current() {
            return current;
        }

        /** @return one line explaining the verdict, with sizes and roots */
        public String message() {
            return message;
        }

        /** @return {@code <VERDICT>: <message>} */
        @Override
        public String toString() {
            return verdict + ": " + message;
        }
    }

    private CheckpointState() {
    }

    /**
     * @param stateFile the state file
     * @return the remembered signed checkpoint, or empty if the file does not exist (the first run); its signature
     *     is not verified here
     * @throws CheckpointFileException if the file exists but cannot be read or is not a signed checkpoint
     */
    public static Optional<SignedCheckpoint> read(Path stateFile) throws CheckpointFileException {
        if (!Files.exists(stateFile)) {
            return Optional.empty();
        }
        byte[] bytes = KeyFiles.readBytes(stateFile, NoteText.MAX_NOTE_BYTES, "a state file");
        if (bytes.length == 0) {
            throw new CheckpointFileException(stateFile, "empty; expected a signed checkpoint");
        }
        try {
            return Optional.of(SignedCheckpoint.parse(bytes));
        } catch (CheckpointFormatException e) {
            throw new CheckpointFileException(stateFile, "not a signed checkpoint: " + e.getMessage());
        }
    }

    /**
     * Replaces the state file atomically with {@code checkpoint}'s text, creating its directory if needed. Also
     * suits the anchor copy of checkpoints.
     *
     * @param stateFile the state file
     * @param checkpoint the signed checkpoint to remember
     * @throws CheckpointFileException if it cannot be written; the old file is then left as it was
     */
    public static void write(Path stateFile, SignedCheckpoint checkpoint) throws CheckpointFileException {
        write(stateFile, checkpoint, CheckpointState::replace);
    }

    /** Moves a finished temporary file over the target; a seam for tests to make the last step fail. */
    @FunctionalInterface
    interface Replace {
        void replace(Path tmp, Path target) throws IOException;
    }

    private static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void write(Path stateFile, SignedCheckpoint checkpoint, Replace replace) throws CheckpointFileException {
        Path target = stateFile.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            if (Files.isDirectory(target)) {
                throw new CheckpointFileException(stateFile, "is a directory");
            }
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(checkpoint.toBytes());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            replace.replace(tmp, target);
            tmp = null;
            syncDirectory(dir);
        } catch (CheckpointFileException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointFileException(stateFile, "cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temporary file never replaces the state
                }
            }
        }
    }

    /** Flushes the rename to disk where the platform allows opening a directory; elsewhere a no-op. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported on this platform (e.g. Windows); the rename itself is still atomic
        }
    }

    /**
     * Classifies a new checkpoint against the remembered one. Both must already be verified.
     *
     * @param previous the remembered checkpoint
     * @param current the new checkpoint
     * @return the verdict; {@link Verdict#NEEDS_CONSISTENCY_PROOF} whenever the tree grew
     */
    public static Result compare(Checkpoint previous, Checkpoint current) {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        long was = previous.size();
        long now = current.size();
        if (now < was) {
            return new Result(Verdict.ROLLBACK, previous, current, "the trail has " + now
                    + " records, fewer than the " + was + " of the remembered checkpoint (root " + hex(previous)
                    + "): records were removed or an older trail was restored");
        }
        if (now == was) {
            if (previous.sameRoot(current)) {
                return new Result(Verdict.OK, previous, current, "the same tree as the remembered checkpoint: "
                        + now + " records, root " + hex(current));
            }
            return new Result(Verdict.FORK, previous, current, "the tree of " + now + " records has root "
                    + hex(current) + ", but the remembered checkpoint of the same size has root " + hex(previous));
        }
        return new Result(Verdict.NEEDS_CONSISTENCY_PROOF, previous, current, "grew from " + was + " to " + now
                + " records; a consistency proof from " + was + " to " + now + " must show the old tree is a prefix");
    }

    /**
     * {@link #compare} with the consistency proof checked: never returns {@link Verdict#NEEDS_CONSISTENCY_PROOF}.
     *
     * @param previous the remembered checkpoint
     * @param current the new checkpoint
     * @param proof checks a consistency proof; called only when the tree grew
     * @return {@link Verdict#OK}, {@link Verdict#ROLLBACK} or {@link Verdict#FORK}
     * @throws IOException if {@code proof} throws it
     */
    public static Result check(Checkpoint previous, Checkpoint current, ConsistencyCheck proof) throws IOException {
        Result r = compare(previous, current);
        if (r.verdict() != Verdict.NEEDS_CONSISTENCY_PROOF) {
            return r;
        }
        if (proof.consistent(previous, current)) {
            return new Result(Verdict.OK, previous, current, "grew from " + previous.size() + " to "
                    + current.size() + " records; the consistency proof verifies");
        }
        return new Result(Verdict.FORK, previous, current, "the tree of " + current.size() + " records (root "
                + hex(current) + ") does not extend the remembered tree of " + previous.size() + " records (root "
                + hex(previous) + "): the consistency proof fails");
    }

    /**
     * One step of {@code verify --state FILE}: verifies {@code current} and the remembered checkpoint with
     * {@code key}, checks {@code current} against it, and remembers {@code current} if the verdict is
     * {@link Verdict#OK}. With no state file yet, {@code current} is remembered and the verdict is {@code OK}.
     *
     * @param stateFile the state file
     * @param current the new signed checkpoint
     * @param key the trusted key
     * @param proof checks a consistency proof when the tree grew
     * @return the result; the state file was updated if and only if it is OK
     * @throws CheckpointFileException if the state file cannot be read or written, or its checkpoint does not
     *     verify with {@code key}
     * @throws IllegalArgumentException if {@code current} does not verify with {@code key}
     * @throws IOException if {@code proof} throws it
     */
    public static Result advance(Path stateFile, SignedCheckpoint current, CheckpointVerifierKey key,
            ConsistencyCheck proof) throws IOException {
        Verification v = current.verification(key);
        if (v != Verification.VERIFIED) {
            throw new IllegalArgumentException("checkpoint: " + v.describe(key));
        }
        Optional<SignedCheckpoint> previous = read(stateFile);
        Result result;
        if (previous.isEmpty()) {
            result = new Result(Verdict.OK, null, current.checkpoint(), "no remembered checkpoint; remembering "
                    + current.checkpoint().size() + " records, root " + hex(current.checkpoint()));
        } else {
            Verification p = previous.get().verification(key);
            if (p != Verification.VERIFIED) {
                throw new CheckpointFileException(stateFile, "the remembered checkpoint: " + p.describe(key));
            }
            result = check(previous.get().checkpoint(), current.checkpoint(), proof);
        }
        if (result.ok()) {
            write(stateFile, current);
        }
        return result;
    }

    private static String hex(Checkpoint c) {
        return HexFormat.of().formatHex(c.rootHash());
    }
}
