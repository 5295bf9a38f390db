package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.FullDiskApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up under a running agent, made real with a file-size limit on the forked JVM ({@code ulimit -f}):
 * Chronicle can no longer grow the cycle file to map its next chunk, as on a full file system. Governed calls are
 * denied from then on, and the trail written so far verifies.
 */
class FullDiskIT {

    /** Past the first 64 MiB chunk of a cycle file (mapped with 16 MiB of overlap), short of the second. */
    private static final long LIMIT = 100L * 1024 * 1024;

    @Test
    void aFullDiskDeniesCallsAndTheTrailWrittenSoFarVerifies(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(FullDiskApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .fileSizeLimit(LIMIT)
                .args("2000000")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).hasSize(2);
        String refused = run.lines().get(0);
        assertThat(refused).as(run.toString()).startsWith("REFUSED ").contains("cannot write to the audit trail at "
                + audit).contains("File too large");
        assertThat(run.lines().get(1)).as("a full disk stays closed").isEqualTo("STILL REFUSED");

        // Every call that ran has its ALLOW and RETURNED on the trail; the refused ones left nothing.
        long calls = Long.parseLong(refused.split(" ")[1]);
        assertThat(calls).as("the first chunk of the cycle file held this many").isGreaterThan(100_000);
        assertThat(Trails.verifiedCount(audit)).isEqualTo(1 + 2 * calls);
    }
}
