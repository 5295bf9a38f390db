package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditReaderTest {

    @Test
    void exitCodesAreTheIssue3Contract() {
        // Scripts branch on the numbers, not the names: pin them.
        assertThat(ExitCodes.OK).isZero();
        assertThat(ExitCodes.TAMPERED).isEqualTo(1);
        assertThat(ExitCodes.TRUNCATED).isEqualTo(2);
        assertThat(ExitCodes.SIGNATURE).isEqualTo(3);
        assertThat(ExitCodes.UNREADABLE).isEqualTo(4);
    }

    @Test
    void noSubcommandIsAUsageError() {
        Cli.Result result = Cli.run();

        // Not picocli's usage code: 2 means a truncated trail here.
        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE)
                .isNotEqualTo(picocli.CommandLine.ExitCode.USAGE);
        assertThat(result.err()).contains("Missing subcommand").hasLineCount(1);
    }

    @Test
    void missingDirectoryArgumentIsAUsageError() {
        Cli.Result result = Cli.run("verify");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).contains("<dir>").contains("verify --help").hasLineCount(1);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result result = Cli.run("export", "/tmp", "--format", "xml");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).contains("xml").hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void badOptionValueOfASubcommandIsAUsageError() {
        Cli.Result result = Cli.run("filter", "/tmp", "--ring", "x");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).contains("--ring").contains("filter --help").hasLineCount(1);
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
        assertThat(result.out()).contains("verify", "export", "filter", "saga", "--verbose", "Exit codes:", "TAMPERED",
                "TRUNCATED", "SIGNATURE", "UNREADABLE");
    }
}
