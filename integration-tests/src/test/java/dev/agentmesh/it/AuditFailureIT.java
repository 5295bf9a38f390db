package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A call that cannot be audited does not run. */
class AuditFailureIT {

    @Test
    void anUnwritableAuditDirectoryDeniesGovernedCalls(@TempDir Path tmp) throws Exception {
        // A directory under a regular file can never be created, even by root.
        Path blocker = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path audit = blocker.resolve("audit");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args("agent-r0")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).contains(
                "agent-r0 ring0 ERROR:dev.agentmesh.api.AuditUnavailableException",
                "agent-r0 ring3 ERROR:dev.agentmesh.api.AuditUnavailableException",
                "agent-r0 free ALLOW");
        assertThat(run.lines()).as("no governed body ran").noneMatch(l -> l.matches("BODY ring\\d"));
        assertThat(run.stderr()).contains("cannot be written at " + audit);
    }
}
