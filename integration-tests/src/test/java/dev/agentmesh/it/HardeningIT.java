package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.HardeningApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases from the threat model ({@code docs/threat-model.md}) that are not a class of their own: a governed call
 * made from inside another, and an {@code OutOfMemoryError} in a tool body. Each in a forked JVM with the real agent.
 */
class HardeningIT {

    @Test
    void aToolCalledFromInsideAnotherIsDecidedForTheCallingAgent(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "nested").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Running inside a ring-3 tool lends the ring-3 agent nothing: the ring-0 tool it calls is denied.
        assertThat(run.lines()).containsExactly("agent-r3 outer DENY", "BODY ring0", "agent-r0 outer ALLOW");

        List<Map<String, String>> calls = decisionsAndOutcomes(audit);
        assertThat(calls).extracting(r -> r.get("type") + " " + r.get("agentId") + " " + r.get("method")
                + " " + r.get("exception")).containsExactly(
                "ALLOW agent-r3 outer null",
                "DENY agent-r3 ring0 null",
                "THREW null null dev.agentmesh.api.RingViolationException",
                "ALLOW agent-r0 outer null",
                "ALLOW agent-r0 ring0 null",
                "RETURNED null null null",
                "RETURNED null null null");
        assertThat(calls.get(2).get("callSeq")).isEqualTo(calls.get(0).get("seq"));
    }

    @Test
    void anOutOfMemoryErrorThrownByAToolIsRecordedAsThrown(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "oom-thrown").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("agent-r0 throwsOom ERROR:java.lang.OutOfMemoryError");

        assertThat(decisionsAndOutcomes(audit)).extracting(r -> r.get("type") + " " + r.get("exception"))
                .containsExactly("ALLOW null", "THREW java.lang.OutOfMemoryError");
    }

    @Test
    void aToolThatRunsTheHeapOutIsRecordedAsThrownAndTheAgentGoesOn(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "oom-real").jvmArg("-Xmx64m").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("agent-r0 exhaustsHeap ERROR:java.lang.OutOfMemoryError",
                "BODY ring0", "agent-r0 after ALLOW");

        assertThat(decisionsAndOutcomes(audit)).extracting(r -> r.get("type") + " " + r.get("method") + " "
                + r.get("exception")).containsExactly(
                "ALLOW exhaustsHeap null",
                "THREW null java.lang.OutOfMemoryError",
                "ALLOW ring0 null",
                "RETURNED null null");
    }

    private static ForkedJvm app(Path tmp, Path audit, String mode) throws Exception {
        return ForkedJvm.main(HardeningApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .args(mode);
    }

    /** The trail's decision and outcome records, after it verifies. */
    private static List<Map<String, String>> decisionsAndOutcomes(Path audit) throws Exception {
        Trails.verifiedCount(audit);
        return Trails.export(audit).stream()
                .filter(r -> !r.get("type").equals("GENESIS"))
                .collect(Collectors.toList());
    }
}
