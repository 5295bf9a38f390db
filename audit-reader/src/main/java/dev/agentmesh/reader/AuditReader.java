package dev.agentmesh.reader;

import dev.agentmesh.audit.format.TrailQueue;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code agentmesh-audit-reader} command: reads AgentMesh audit trails offline. Each subcommand is its own
 * class; add new ones to {@code subcommands}.
 */
@Command(name = "agentmesh-audit-reader", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Read AgentMesh audit trails offline: verify, export, filter, tail, report, saga, prove.",
        subcommands = {VerifyCommand.class, ExportCommand.class, FilterCommand.class, KeygenCommand.class,
            ReportCommand.class, TailCommand.class, SagaCommand.class, ProveCommand.class, VerifyProofCommand.class,
            ConsistencyCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:OK: intact; the command succeeded",
            "1:TAMPERED: a record was edited, reordered or deleted in the middle; the message names it",
            "2:TRUNCATED: truncated or rolled back (checkpoint, anchor or state)",
            "3:SIGNATURE: checkpoint signature or key problem",
            "4:UNREADABLE: unreadable input (no trail there, no such saga) or usage error, or the reader itself "
                + "failed"})
public final class AuditReader implements Callable<Integer> {

    /** Name of the global option that adds stack traces to errors. */
    static final String VERBOSE = "--verbose";

    @Spec
    private CommandSpec spec;

    // Read through the parse result by ErrorReporter; declared here so picocli parses and documents it.
    @Option(names = VERBOSE, scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    private boolean verbose;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /**
     * Runs the command line and exits with its {@link ExitCodes exit code}.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // Before any Chronicle class loads: no analytics (no network) and no banner on stdout.
        TrailQueue.silenceChronicle();
        CommandLine cmd = commandLine();
        // Exports are UTF-8 whatever the platform encoding; buffered, because exports can be millions of lines.
        cmd.setOut(new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))));
        int exitCode;
        try {
            exitCode = cmd.execute(args);
        } catch (Error e) {
            // picocli lets Errors through; the JVM would exit 1, which means TAMPERED here.
            exitCode = ErrorReporter.reportFailure(e, cmd.getErr(), Arrays.asList(args).contains(VERBOSE));
        }
        cmd.getOut().flush();
        System.exit(exitCode);
    }

    /**
     * Builds the command line with the reader's error handling; tests run it in-process.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /**
     * As {@link #commandLine()}, its subcommands made by {@code factory}: tests give a command what it would
     * otherwise read from elsewhere, such as a Kafka topic.
     *
     * @param factory makes the commands and their option groups
     * @return a new command line
     */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        ErrorReporter errors = new ErrorReporter();
        CommandLine cmd = new CommandLine(new AuditReader(), factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
        setFallbackExitCodes(cmd);
        return cmd;
    }

    /**
     * picocli's own codes for bad input and failed commands are 2 and 1, which mean TRUNCATED and TAMPERED here.
     * {@link ErrorReporter} decides every code; these apply only if reporting itself fails.
     */
    private static void setFallbackExitCodes(CommandLine cmd) {
        cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.UNREADABLE)
                .exitCodeOnExecutionException(ExitCodes.UNREADABLE);
        cmd.getSubcommands().values().forEach(AuditReader::setFallbackExitCodes);
    }
}
