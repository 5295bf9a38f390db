package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Reads a trail directory from its first record, handing on each record only once it has verified against the
 * hash chain, so no command ever shows a record that is not covered by the chain.
 */
final class Trail {

    /** Receives each verified record, in trail order. */
    @FunctionalInterface
    interface Sink {
        /** @param record the verified record; reused, valid only during the call */
        void accept(VerifiedRecord record);
    }

    /**
     * What a complete read found.
     *
     * @param count records verified
     * @param headHash chain hash of the last record
     * @param denials how many of them are DENY records
     */
    record Summary(long count, byte[] headHash, long denials) {
    }

    /**
     * How long a read waits for a header Chronicle expects: a damaged or cut-short file would otherwise stall every
     * lookup for Chronicle's default 10 s.
     */
    static final long HEADER_TIMEOUT_MILLIS = 500;

    private Trail() {
    }

    /**
     * Verifies the whole trail in {@code dir}, passing each record to {@code sink} as it verifies.
     *
     * @param dir the audit directory
     * @param sink receives verified records
     * @return the summary of a trail that verified end to end
     * @throws ChainBreak at the first record that fails verification or cannot be read
     * @throws NotATrailException if {@code dir} holds no trail
     */
    static Summary verify(Path dir, Sink sink) throws ChainBreak {
        return verify(dir, sink, null);
    }

    /**
     * Verifies the whole trail in {@code dir}, passing each record to {@code sink} as it verifies, and building its
     * Merkle tree in {@code tree}.
     *
     * @param dir the audit directory
     * @param sink receives verified records
     * @param tree receives every verified record's leaf, or {@code null}
     * @return the summary of a trail that verified end to end
     * @throws ChainBreak at the first record that fails verification or cannot be read
     * @throws NotATrailException if {@code dir} holds no trail
     */
    static Summary verify(Path dir, Sink sink, TreeWitness tree) throws ChainBreak {
        requireQueueFiles(dir);
        ChainVerifier verifier = new ChainVerifier();
        long denials;
        try (SingleChronicleQueue queue = open(dir)) {
            denials = read(queue, verifier, sink, tree);
        } catch (InternalError e) {
            // A read through a mapping past the end of a cut-short file faults; in compiled code the JVM raises the
            // InternalError for it asynchronously, at the thread's next check, which can fall after read() left its
            // try block (in a catch handler, or while the queue closes). It is the same damage, at the same record.
            throw unreadable(verifier, e);
        }
        if (verifier.count() == 0) {
            // The directory has cycle files, so records were written; a trail without its GENESIS is broken.
            throw new ChainBreak(0, "unreadable: the queue files hold no complete record");
        }
        return new Summary(verifier.count(), verifier.headHash(), denials);
    }

    private static long read(SingleChronicleQueue queue, ChainVerifier verifier, Sink sink, TreeWitness tree)
            throws ChainBreak {
        long[] denials = {0};
        long[] lastRead = {-1};
        VerifiedRecord verified = new VerifiedRecord();
        try {
            // Taken first, so records a live writer appends while we read cannot look like missing ones.
            long lastIndexed = lastIndexed(queue);
            TrailQueue.readAll(queue, (stored, length, queueIndex) -> {
                RecordView record = verifier.check(stored, length);
                if (tree != null) {
                    tree.add(stored, length - TrailFormat.HASH_LENGTH);
                }
                lastRead[0] = queueIndex;
                if (record.type() == RecordType.CALL_DENIED) {
                    denials[0]++;
                }
                try {
                    sink.accept(verified.set(record, stored, length));
                } catch (RuntimeException | Error e) {
                    throw new SinkFailure(e);
                }
                return true;
            });
            // A damaged document header (say, its "not complete" bit set) makes Chronicle end the read quietly,
            // which would pass a cut-short trail; the queue's own index still knows the records after it.
            if (lastRead[0] < lastIndexed) {
                throw new ChainBreak(verifier.count(), "unreadable: reading stops here, but the queue holds more"
                        + (lastIndexed == Long.MAX_VALUE ? "" : " (up to queue index "
                                + Long.toHexString(lastIndexed) + ")"));
            }
        } catch (ChainBreak e) {
            throw e;
        } catch (SinkFailure e) {
            throw e.rethrow();
        } catch (Exception | InternalError | AssertionError e) {
            // Anything else came from Chronicle reading the next document: a damaged file is tampering too,
            // at the record that could not be read. InternalError is how the JVM reports a read through a
            // mapping past the end of a cut-short file; AssertionError is Chronicle's own assert on what it read
            // failing, when assertions are on (java -ea, and every test JVM), where it would otherwise go on.
            throw unreadable(verifier, e);
        }
        return denials[0];
    }

    private static ChainBreak unreadable(ChainVerifier verifier, Throwable e) {
        ChainBreak unreadable = new ChainBreak(verifier.count(), "unreadable: " + e);
        unreadable.initCause(e);
        return unreadable;
    }

    /**
     * @return the queue's own idea of its last index, or {@link Long#MAX_VALUE} if damage stops Chronicle from
     *     finding it; the read then runs into the same damage at the record it is in, or ends short of "the end"
     */
    static long lastIndexed(SingleChronicleQueue queue) {
        try {
            return queue.lastIndex();
        } catch (RuntimeException | InternalError | AssertionError e) {
            return Long.MAX_VALUE;
        }
    }

    static void requireQueueFiles(Path dir) {
        if (!Files.exists(dir)) {
            throw new NotATrailException(dir, "no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotATrailException(dir, "not a directory");
        }
        // Chronicle would happily treat any directory as an empty queue; a trail has at least one cycle file.
        try (Stream<Path> files = Files.list(dir)) {
            if (files.noneMatch(f -> f.getFileName().toString().endsWith(".cq4"))) {
                throw new NotATrailException(dir, "no Chronicle queue files (*.cq4)");
            }
        } catch (IOException e) {
            throw new NotATrailException(dir, "cannot list it: " + e.getMessage(), e);
        }
    }

    /**
     * @param dir an audit directory
     * @return how many records its queue indexes, for a progress bar; -1 if it cannot tell
     */
    static long count(Path dir) {
        try {
            requireQueueFiles(dir);
        } catch (NotATrailException e) {
            return -1;
        }
        try (SingleChronicleQueue queue = open(dir)) {
            return queue.entryCount();
        } catch (RuntimeException | InternalError | AssertionError e) {
            return -1;
        }
    }

    static SingleChronicleQueue open(Path dir) {
        try {
            return TrailQueue.openForReading(dir, Trail.HEADER_TIMEOUT_MILLIS);
        } catch (RuntimeException | AssertionError e) {
            throw new NotATrailException(dir, "cannot open it as a Chronicle queue: " + e, e);
        }
    }

    /**
     * Carries a sink's own failure past the handler that turns read failures into chain breaks: an error of the
     * reader's (an assertion of its own, say) is not damage in the trail.
     */
    private static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Throwable failure;

        SinkFailure(Throwable failure) {
            super(failure);
            this.failure = failure;
        }

        /** @return never: throws the sink's failure as it was */
        RuntimeException rethrow() {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
    }
}
