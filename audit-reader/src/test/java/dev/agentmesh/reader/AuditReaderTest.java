package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditReaderTest {

    @Test
    void noSubcommandIsAUsageError() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE).isEqualTo(picocli.CommandLine.ExitCode.USAGE);
        assertThat(result.err()).contains("Missing subcommand").hasLineCount(1);
    }

    @Test
    void missingDirectoryArgumentIsAUsageError() {
        Cli.Result result = Cli.run("verify");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("<dir>").contains("verify --help").hasLineCount(1);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result result = Cli.run("export", "/tmp", "--format", "xml");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("xml").hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void versionIsTheProjectVersion() {
        Cli.Result result = Cli.run("--version");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).matches("agentmesh-audit-reader \\d+\\.\\d+\\.\\d+[^$]*\n");
    }

    @Test
    void helpListsSubcommandsAndExitCodes() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("verify", "export", "--verbose", "Exit codes:", "TAMPERED");
    }
}
