package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and its exit code, with the stack trace only under
 * {@code --verbose}: scripts read the line and the code, people read the trace when they ask for it.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println(oneLine(ex.getMessage()) + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        cmd.getErr().flush();
        // Not picocli's usage code 2: in the reader's contract 2 means a truncated trail.
        return ExitCodes.UNREADABLE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        // Whatever the command printed comes before the error, as it happened.
        cmd.getOut().flush();
        boolean verbose = verbose(parseResult);
        if (ex instanceof ChainBreak chainBreak) {
            // For verify the verdict is the output, so it goes where "OK ..." would have; for export and filter
            // stdout is data.
            PrintWriter verdict = cmd.getCommandSpec().userObject() instanceof VerifyCommand
                    ? cmd.getOut() : cmd.getErr();
            return report("TAMPERED at record " + chainBreak.index() + ": " + chainBreak.reason(), ex,
                    verdict, verbose, ExitCodes.TAMPERED);
        }
        if (ex instanceof Verdict v) {
            PrintWriter where = cmd.getCommandSpec().userObject() instanceof VerifyCommand ? cmd.getOut() : cmd.getErr();
            return report(v.getMessage(), ex, where, verbose, v.exitCode());
        }
        if (ex instanceof NotATrailException) {
            return report(ex.getMessage(), ex, cmd.getErr(), verbose, ExitCodes.UNREADABLE);
        }
        return reportFailure(ex, cmd.getErr(), verbose);
    }

    /**
     * Reports a failure of the reader itself, one that says nothing about the trail.
     *
     * @param failure what went wrong
     * @param err where to report it
     * @param verbose whether to add the stack trace
     * @return {@link ExitCodes#UNREADABLE}
     */
    static int reportFailure(Throwable failure, PrintWriter err, boolean verbose) {
        return report("error: " + failure, failure, err, verbose, ExitCodes.UNREADABLE);
    }

    private static int report(String line, Throwable failure, PrintWriter err, boolean verbose, int exitCode) {
        err.println(oneLine(line));
        if (verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    /** {@code --verbose} is inherited, so it may have been given to the top command or to the subcommand. */
    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption(AuditReader.VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** Messages from Chronicle and the JDK may span lines; the contract is one line per error. */
    private static String oneLine(String message) {
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
