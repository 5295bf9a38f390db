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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
 * <p>{@code report --kafka <bootstrap> [--topic T] [--pubkey F]}: the same across every writer on a fleet's Kafka
 * topic. Each writer's stream is verified on its own chain and held against its newest checkpoint, exactly as
 * {@code verify --kafka} does ({@link TopicVerification}), while one {@link ReportStats} counts the whole fleet; the
 * report then lists the writers ({@link ReportScope.Topic}) before the counts.
 *
 * <p>Nothing is reported from a trail that does not verify: at a break the report is dropped, the one-line
 * {@code TAMPERED} message goes to stderr and the exit code is 1, and no HTML file is written. A report always
 * describes a whole verified trail, or a whole verified topic: at a topic's first failure the message and exit code
 * are {@code verify --kafka}'s.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify the whole chain, then print counts per agent, tool, decision and ring, and who was at "
                + "fault and who paid for it (liability); with --html, also write a self-contained HTML page with "
                + "charts. With --kafka, the same across every writer on a fleet's topic, each writer's stream "
                + "verified as verify --kafka verifies it, and listed.",
            "At a break nothing is reported: the TAMPERED line goes to stderr and the exit code is 1."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", arity = "0..1",
            description = "The audit directory (the Chronicle queue); not with --kafka.")
    private Path dir;

    @Mixin
    private KafkaOptions kafka;

    @Mixin
    private KeyOptions keyOptions;

    @Option(names = "--html", paramLabel = "<file>",
            description = "Also write the report as one self-contained HTML file (replaced if it exists).")
    private Path html;

    @Option(names = "--top", paramLabel = "<n>", defaultValue = "20",
            description = "How many agents and tools to list, and to chart, and agents in the liability table. "
                    + "Default: 20.")
    private int top;

    /** Opens the topic {@code --kafka} names. */
    private final Function<TopicTrails.Source, TopicTrails.Topic> topics;

    /** The command as the reader runs it: {@code --kafka} reads through the Kafka client. */
    public ReportCommand() {
        this(source -> source);
    }

    /**
     * @param topics opens the topic {@code --kafka} names; tests give one read from memory, so that the whole command
     *     (options, verdicts, exit codes, the HTML file) runs without a broker
     */
    ReportCommand(Function<TopicTrails.Source, TopicTrails.Topic> topics) {
        this.topics = topics;
    }

    @Override
    public Integer call() throws ChainBreak, IOException, Verdict {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        if (kafka.given() == (dir != null)) {
            throw new ParameterException(spec.commandLine(), kafka.given()
                    ? "report takes an audit directory or --kafka, not both"
                    : "Missing required parameter: '<dir>' (or --kafka <bootstrap>)");
        }
        if (!kafka.given() && keyOptions.given()) {
            // A directory's report checks its chain only; 'verify' holds it against its checkpoint.
            throw new ParameterException(spec.commandLine(), "--pubkey and --key-name are for --kafka; to check a "
                    + "directory's signed checkpoint, run verify");
        }
        ReportStats stats;
        ReportScope scope;
        // Counts only: the report is rendered once everything has verified, or not at all.
        if (kafka.given()) {
            TopicTrails.Topic topic = topics.apply(kafka.source());
            stats = ReportStats.ofTopic();
            List<WriterSummary> writers = new TopicVerification(topic, keyOptions.key()).verify(stats);
            scope = new ReportScope.Topic(topic.topic(), topic.bootstrap(), writers);
        } else {
            stats = new ReportStats();
            scope = new ReportScope.Directory(dir.toString(), Trail.verify(dir, stats), stats.clock);
        }
        if (html != null) {
            writeAtomically(html, ReportHtml.render(scope, stats, top));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(ReportText.render(scope, stats, top));
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
