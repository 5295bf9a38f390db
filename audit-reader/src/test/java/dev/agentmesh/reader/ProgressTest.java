package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.Hex;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify --progress}: the bar goes to stderr only, ends its line, and never changes stdout or the verdict. */
class ProgressTest {

    @TempDir
    Path dir;

    @Test
    void alwaysDrawsTheBarOnStderrAndEndsItsLine() {
        String head;
        try (TrailFixture trail = TrailFixture.standard(dir, 40)) {
            head = Hex.of(trail.headHash());
        }

        Cli.Result result = Cli.run("verify", dir.toString(), "--progress", "always");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("OK 40 records, head " + head + ", 0 denials, root ").hasLineCount(1);
        assertThat(result.err()).startsWith("\r[....................]   0%  0 of 40 records")
                .contains("\r[####################] 100%  40 of 40 records").endsWith("\n");
        assertThat(newlines(result.err())).as("redrawn in place, one line in all").isEqualTo(1);
    }

    @Test
    void aBreakStillPrintsItsVerdictOnStdoutAfterTheBar() throws Exception {
        TrailFixture.standard(dir, 40).close();
        TrailFixture.flipByteOf(dir, TrailFixture.agentId(17));

        Cli.Result result = Cli.run("verify", dir.toString(), "--progress", "always");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.out()).startsWith("TAMPERED at record 17: hash mismatch").hasLineCount(1);
        assertThat(result.err()).contains("17 of 40 records").endsWith("\n");
        assertThat(newlines(result.err())).isEqualTo(1);
    }

    @Test
    void neverAndAutoWithoutATerminalDrawNothing() {
        TrailFixture.standard(dir, 40).close();

        assertThat(Cli.run("verify", dir.toString(), "--progress", "never").err()).isEmpty();
        // The test JVM's stderr is a pipe or a file, not a terminal.
        assertThat(Progress.stderrIsTerminal()).isFalse();
        assertThat(Cli.run("verify", dir.toString()).err()).isEmpty();
    }

    @Test
    void aDirectoryWithNoTrailHasNoCountButStillFailsAsBefore() {
        Cli.Result result = Cli.run("verify", dir.resolve("nope").toString(), "--progress", "always");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("\r0 records").contains("no such directory");
    }

    private static long newlines(String s) {
        return s.chars().filter(c -> c == '\n').count();
    }
}
