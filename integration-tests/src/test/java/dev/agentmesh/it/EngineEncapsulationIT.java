package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.TamperApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine is a named module that exports and opens nothing to the application: hostile application code cannot
 * {@code setAccessible} its fields, look it up privately, open it, or replace the bridge's governor.
 */
class EngineEncapsulationIT {

    @Test
    void applicationCodeCannotReachIntoTheEngineOrSwapTheBridge(@TempDir Path tmp) throws Exception {
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        ForkedJvm.Result run = ForkedJvm.main(TamperApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + tmp.resolve("audit"))
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString())
                .contains("ENGINE-MODULE dev.agentmesh.engine named=true")
                .anyMatch(l -> l.startsWith("engine-field-setAccessible BLOCKED java.lang.reflect."
                        + "InaccessibleObjectException"))
                .anyMatch(l -> l.startsWith("engine-trySetAccessible BLOCKED"))
                .anyMatch(l -> l.startsWith("engine-privateLookupIn BLOCKED java.lang.IllegalAccessException"))
                .anyMatch(l -> l.startsWith("engine-public-method-reflect BLOCKED java.lang.IllegalAccessException"))
                .anyMatch(l -> l.startsWith("engine-addOpens-from-app BLOCKED java.lang.IllegalCallerException"))
                .anyMatch(l -> l.startsWith("engine-loader-fields BLOCKED java.lang.reflect."
                        + "InaccessibleObjectException"))
                .anyMatch(l -> l.startsWith("engine-entry-point-again BLOCKED java.lang.IllegalStateException"))
                .anyMatch(l -> l.startsWith("bridge-governor-swap BLOCKED java.lang.IllegalAccessException"))
                .anyMatch(l -> l.startsWith("bridge-governor-swap-varhandle BLOCKED"))
                .anyMatch(l -> l.startsWith("bridge-handoff-reinstall BLOCKED java.lang.IllegalStateException"))
                .anyMatch(l -> l.startsWith("api-hypervisor-swap BLOCKED java.lang.IllegalAccessException"))
                .contains("nobody after-tampering DENY")
                .anyMatch(l -> l.startsWith("bridge-forged-outcome BLOCKED java.lang.SecurityException: call 1 is "
                        + "not the governed call running innermost on this thread"))
                .anyMatch(l -> l.startsWith("bridge-forged-call BLOCKED java.lang.SecurityException: method token 0 "
                        + "was not woven by AgentMesh"))
                .anyMatch(l -> l.startsWith("bridge-forged-tool-call BLOCKED java.lang.SecurityException: framework "
                        + "token 0 was not woven by AgentMesh"))
                .anyMatch(l -> l.startsWith("bridge-forged-saga BLOCKED java.lang.SecurityException: saga method "
                        + "token 0 was not woven"))
                .anyMatch(l -> l.startsWith("bridge-forged-saga-step BLOCKED java.lang.SecurityException: saga method "
                        + "token 1 was not woven"))
                .anyMatch(l -> l.startsWith("bridge-forged-compensation BLOCKED java.lang.SecurityException: framework "
                        + "token 0 was not woven"))
                // Known, not closed by modules: sun.misc.Unsafe (jdk.unsupported is open to everyone).
                .anyMatch(l -> l.startsWith("unsafe-read-engine-field BYPASSED read dev.agentmesh.agent.rings."
                        + "RingGovernor"));
        assertThat(run.lines()).noneMatch(l -> l.contains(" BYPASSED ") && !l.startsWith("unsafe-"));
        // GENESIS, the denial, the ring-3 call and its outcome: nothing forged, and it verifies.
        assertThat(Trails.verifiedCount(tmp.resolve("audit"))).isEqualTo(4);
    }
}
