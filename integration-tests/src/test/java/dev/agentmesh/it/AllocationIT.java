package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.AllocationApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An allowed, audited call of a one-argument tool allocates nothing on the caller's thread once warm: the advice
 * passes the argument on its own, and the decision, the digest and both records reuse per-thread buffers. The JVM
 * counts the bytes (a count, not a time); the Chronicle appender's rare index and file bookkeeping stays far below
 * a byte per call over 200,000 calls.
 */
class AllocationIT {

    private static final int CALLS = 200_000;

    @Test
    void anAllowedAuditedCallAllocatesNothing(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(AllocationApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .args(Integer.toString(CALLS))
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).hasSize(1);
        double bytesPerCall = Double.parseDouble(run.lines().get(0).replace("BYTES_PER_CALL ", ""));
        assertThat(bytesPerCall).as(run.toString()).isLessThan(1.0);
        assertThat(Trails.verifiedCount(audit)).isEqualTo(1 + 2L * 2 * CALLS);
    }
}
