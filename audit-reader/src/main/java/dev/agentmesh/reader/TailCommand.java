package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tail <dir> [-f] [--from-seq N] [--format jsonl|csv|text]}: prints the records from seq {@code N} on, in
 * {@code export}'s lines. A chain can only be checked from its start, so the records before {@code N} are read and
 * verified silently. Without {@code -f} it ends at the current end of the trail, exactly as {@code export} reads
 * it; with {@code -f} it then keeps following the writer ({@link TrailFollower}), polling every
 * {@value TrailFollower#POLL_MILLIS} ms, until interrupted (SIGINT or SIGTERM end it cleanly through a shutdown
 * hook), an optional limit, or a break, which exits 1 with the {@code TAMPERED} line on stderr.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the records from --from-seq on, in export's lines, verifying the chain from its start; "
                + "with -f, keep following the trail as it is written until interrupted.",
            "At a break it stops after the last good record: the TAMPERED line goes to stderr and the exit code is 1."})
public final class TailCommand implements Callable<Integer> {

    /** How long a shutdown hook waits for the follower to finish the record in hand and flush. */
    private static final long STOP_GRACE_MILLIS = 2000;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The audit directory (the Chronicle queue).")
    private Path dir;

    @Option(names = {"-f", "--follow"},
            description = "Keep following the trail as it is written, until interrupted (Ctrl-C).")
    private boolean follow;

    @Option(names = "--from-seq", paramLabel = "<n>", defaultValue = "0",
            description = "Print records from this seq on; those before it are verified but not printed. "
                    + "Default: 0, every record.")
    private long fromSeq;

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "jsonl",
            description = "jsonl, csv or text, the same lines as export. Default: jsonl.")
    private ExportFormat format;

    @Option(names = "--max-records", paramLabel = "<n>",
            description = "For scripts: stop, with exit 0, once this many records are printed.")
    private Long maxRecords;

    @Option(names = "--idle-exit-ms", paramLabel = "<ms>",
            description = "For scripts, with -f: stop, with exit 0, once no record has come for this long.")
    private Long idleExitMillis;

    private final TrailFollower follower = new TrailFollower();

    /** Stops a running {@code tail -f} after the record in hand, as SIGINT does; tests call it from a thread. */
    void stop() {
        follower.stop();
    }

    @Override
    public Integer call() throws ChainBreak, IOException {
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        RecordFormat recordFormat = format.format();
        long[] printed = {0};
        RecordPrinter printer = new RecordPrinter(out, recordFormat);
        Trail.Sink sink = record -> {
            printer.start();
            if (record.seq() < fromSeq || isEnough(printed[0])) {
                return;
            }
            printer.print(record);
            printed[0]++;
            if (isEnough(printed[0])) {
                if (!follow) {
                    throw new Enough();
                }
                follower.stop();
            }
        };
        if (follow) {
            follow(out, printer, sink);
        } else {
            try {
                Trail.verify(dir, sink);
            } catch (Enough e) {
                // --max-records reached: what was printed verified; the rest is not read.
            }
        }
        printer.finish();
        return ExitCodes.OK;
    }

    private void follow(PrintWriter out, RecordPrinter printer, Trail.Sink sink) throws ChainBreak, IOException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // SIGINT or SIGTERM: let the follower finish the record in hand and flush, then let the JVM exit.
            follower.stop();
            try {
                done.await(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "agentmesh-tail-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            // Each time it catches up with the writer: show what there is now, and notice a closed pipe (| head).
            follower.follow(dir, sink, printer::finish, idleExitMillis == null ? 0 : idleExitMillis);
        } finally {
            out.flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: the JVM is on its way out.
            }
        }
    }

    private boolean isEnough(long printed) {
        return maxRecords != null && printed >= maxRecords;
    }

    private void checkOptions() {
        if (fromSeq < 0) {
            throw new ParameterException(spec.commandLine(), "--from-seq must be 0 or more, not " + fromSeq);
        }
        if (maxRecords != null && maxRecords < 1) {
            throw new ParameterException(spec.commandLine(), "--max-records must be at least 1, not " + maxRecords);
        }
        if (idleExitMillis != null) {
            if (!follow) {
                throw new ParameterException(spec.commandLine(), "--idle-exit-ms needs -f");
            }
            if (idleExitMillis < 1) {
                throw new ParameterException(spec.commandLine(),
                        "--idle-exit-ms must be at least 1, not " + idleExitMillis);
            }
        }
    }

    /** Ends a read without -f once --max-records are printed; Trail hands a sink's exception back as it is. */
    private static final class Enough extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Enough() {
            super("enough records", null, false, false);
        }
    }
}
