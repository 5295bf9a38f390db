package dev.agentmesh.reader;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Prints verified records in one {@link RecordFormat} to a command's output, as export, filter and tail do: the
 * format's header before the first good record (so a directory with no trail prints nothing, while a trail with no
 * match still prints the CSV header scripts expect), then one line per record printed.
 *
 * <p>Each line is built in one reused buffer and handed to the writer in one call, so printing a record allocates
 * nothing of its own.
 */
final class RecordPrinter {

    private final PrintWriter out;
    private final RecordFormat format;
    private final LineBuffer line = new LineBuffer();
    private boolean started;

    /**
     * @param out where to print
     * @param format how
     */
    RecordPrinter(PrintWriter out, RecordFormat format) {
        this.out = out;
        this.format = format;
    }

    /** Marks that a good record was read: prints the header if this is the first. */
    void start() {
        if (!started) {
            out.print(format.header());
            started = true;
        }
    }

    /** @param record a verified record to print, after the header if it is the first */
    void print(VerifiedRecord record) {
        start();
        line.clear();
        format.append(record, line);
        line.writeTo(out);
    }

    /**
     * Flushes, and fails if any write failed: {@link PrintWriter} swallows write errors, and output cut short by a
     * full disk or a closed pipe must not exit 0.
     *
     * @throws IOException if the output could not be written
     */
    void finish() throws IOException {
        out.flush();
        if (out.checkError()) {
            throw new IOException("could not write the records to standard output");
        }
    }
}
