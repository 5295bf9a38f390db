package dev.agentmesh.reader;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr for long reads: {@code [#########...........]  45%  900,000 of 2,000,000 records
 * 2.1M/s}, redrawn in place with a carriage return at most four times a second. Shown when stderr is a terminal
 * ({@link When#AUTO}) and the read lasts more than half a second, or always, or never.
 *
 * <p>{@link #step()} is on the per-record path: it counts, and looks at the clock only every 4096 records.
 */
class Progress implements AutoCloseable {

    /** When to show the bar: the {@code --progress} option. */
    enum When {
        /** When stderr is a terminal. */
        AUTO,
        /** Always, from the first record: for logs, and for tests. */
        ALWAYS,
        /** Never. */
        NEVER
    }

    /** Shows nothing. */
    static final Progress NONE = new Progress();

    private static final int WIDTH = 20;
    private static final long FIRST_DRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final PrintWriter err;
    private final long total;
    private final long started;
    private long nextDraw;
    private long count;
    private boolean drawn;

    private Progress() {
        this.err = null;
        this.total = -1;
        this.started = 0;
    }

    private Progress(PrintWriter err, long total, long firstDrawNanos) {
        this.err = err;
        this.total = total;
        this.started = System.nanoTime();
        this.nextDraw = started + firstDrawNanos;
    }

    /**
     * @param when the {@code --progress} option
     * @param err where to draw
     * @param total how many records to expect, asked only if the bar may be shown; -1 if unknown
     * @return a bar, or {@link #NONE}
     */
    static Progress start(When when, PrintWriter err, LongSupplier total) {
        switch (when) {
            case ALWAYS:
                Progress always = new Progress(err, total.getAsLong(), 0);
                always.draw(always.started);
                return always;
            case AUTO:
                return stderrIsTerminal() ? new Progress(err, total.getAsLong(), FIRST_DRAW_NANOS) : NONE;
            default:
                return NONE;
        }
    }

    /** Counts one record read. */
    void step() {
        // NONE, shared by every command, is never written to.
        if (err != null && (++count & 4095) == 0) {
            long now = System.nanoTime();
            if (now - nextDraw >= 0) {
                draw(now);
            }
        }
    }

    /** Draws the final state and ends the line, if the bar was ever shown, so what follows starts a line. */
    @Override
    public void close() {
        if (drawn) {
            draw(System.nanoTime());
            err.print('\n');
            err.flush();
        }
    }

    private void draw(long now) {
        StringBuilder line = new StringBuilder(96).append('\r');
        if (total > 0) {
            long shown = Math.min(count, total);
            int filled = (int) (shown * WIDTH / total);
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  %,d of %,d records", shown * 100 / total, count,
                            total));
        } else {
            line.append(String.format(Locale.ROOT, "%,d records", count));
        }
        double seconds = (now - started) / 1e9;
        if (seconds > 0.05) {
            line.append(String.format(Locale.ROOT, "  %.1fM/s", count / seconds / 1e6));
        }
        err.print(line);
        err.flush();
        drawn = true;
        nextDraw = now + REDRAW_NANOS;
    }

    /**
     * @return whether stderr is a terminal: on Linux, where file descriptor 2 leads; elsewhere the JDK's console,
     *     which exists when stdin and stdout are a terminal, the nearest it can tell
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2, LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
