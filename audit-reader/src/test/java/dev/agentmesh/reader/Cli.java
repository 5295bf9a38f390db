package dev.agentmesh.reader;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the reader's command line in-process, capturing what it writes. */
final class Cli {

    /** What one run did. */
    record Result(int exitCode, String out, String err) {
        /** @return stdout split into lines, without terminators */
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return run(CommandLine.defaultFactory(), args);
    }

    /** Runs with the commands made by {@code factory}, as one that reads a topic from memory. */
    static Result run(CommandLine.IFactory factory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = AuditReader.commandLine(factory);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exitCode = cmd.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
