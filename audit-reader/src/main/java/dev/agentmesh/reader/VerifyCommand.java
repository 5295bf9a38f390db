package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.Hex;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code verify <dir>}: checks the whole hash chain and prints one line,
 * {@code OK <count> records, head <hash>, <n> denials}. A broken chain is reported by {@link ErrorReporter}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify the trail's hash chain from its first record to its head.")
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The audit directory (the Chronicle queue).")
    private Path dir;

    @Override
    public Integer call() throws ChainBreak {
        Trail.Summary summary = Trail.verify(dir, (record, hash) -> { });
        spec.commandLine().getOut().println("OK " + summary.count() + " records, head "
                + Hex.of(summary.headHash()) + ", " + summary.denials() + " denials");
        return ExitCodes.OK;
    }
}
