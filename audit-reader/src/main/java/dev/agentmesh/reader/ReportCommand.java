package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report <dir> [--html F] [--top N]}: verifies the whole chain while counting, in bounded memory
 * ({@link ReportStats}), then prints a plain-text report to stdout and, with {@code --html}, writes one
 * self-contained HTML page ({@link ReportHtml}).
 *
 * <p>Nothing is reported from a trail that does not verify: at a break the report is dropped, the one-line
 * {@code TAMPERED} message goes to stderr and the exit code is 1, and no HTML file is written. A report always
 * describes a whole verified trail.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify the whole chain, then print counts per agent, tool, decision and ring, and who was at "
                + "fault and who paid for it (liability); with --html, also write a self-contained HTML page with "
                + "charts.",
            "At a break nothing is reported: the TAMPERED line goes to stderr and the exit code is 1."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The audit directory (the Chronicle queue).")
    private Path dir;

    @Option(names = "--html", paramLabel = "<file>",
            description = "Also write the report as one self-contained HTML file (replaced if it exists).")
    private Path html;

    @Option(names = "--top", paramLabel = "<n>", defaultValue = "20",
            description = "How many agents and tools to list, and to chart, and agents in the liability table. "
                    + "Default: 20.")
    private int top;

    @Override
    public Integer call() throws ChainBreak, IOException {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        ReportStats stats = new ReportStats();
        // Counts only: the report is rendered once the whole chain has verified, or not at all.
        Trail.Summary summary = Trail.verify(dir, stats);
        String trail = dir.toString();
        if (html != null) {
            writeAtomically(html, ReportHtml.render(trail, stats, summary, top));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(ReportText.render(trail, stats, summary, top));
        out.flush();
        if (out.checkError()) {
            throw new IOException("could not write the report to standard output");
        }
        return ExitCodes.OK;
    }

    /**
     * Written beside, then moved over, so a reviewer never opens half a page. Not through
     * {@code Files.createTempFile}, which would make the page readable by its owner only: it is meant to be shared.
     */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path target = file.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
