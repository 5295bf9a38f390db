package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.HostByteBuddyApp;
import dev.agentmesh.it.apps.ReflectionApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's libraries never clash with the host's, and reflective calls are governed too. */
class IsolationIT {

    @Test
    void aHostWithItsOwnByteBuddyWorksAndSeesNoneOfTheAgentsLibraries(@TempDir Path tmp) throws Exception {
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(HostByteBuddyApp.class)
                .classPath(ForkedJvm.HOST_BYTEBUDDY_JAR)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).contains(
                "GENERATED made by host ByteBuddy",
                "HOST_BYTEBUDDY " + ForkedJvm.HOST_BYTEBUDDY_JAR.toUri().toURL(),
                "HIDDEN net.openhft.chronicle.queue.ChronicleQueue",
                "HIDDEN org.snakeyaml.engine.v2.api.Load",
                "HIDDEN dev.agentmesh.agent.AgentInstaller",
                "HIDDEN org.slf4j.simple.SimpleLogger",
                "agent-r2 ring2 ALLOW",
                "agent-r2 ring1 DENY");
        assertThat(Trails.verifiedCount(audit)).isEqualTo(1 + 2 + 1);
    }

    @Test
    void reflectionMethodHandlesAndMethodReferencesAreGoverned(@TempDir Path tmp) throws Exception {
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result denied = ForkedJvm.main(ReflectionApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args("agent-r3")
                .run();
        assertThat(denied.lines()).as(denied.toString()).containsExactly(
                "agent-r3 reflection DENY", "agent-r3 methodhandle DENY", "agent-r3 methodref DENY");

        ForkedJvm.Result allowed = ForkedJvm.main(ReflectionApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args("agent-r0")
                .run();
        assertThat(allowed.lines()).as(allowed.toString()).contains(
                "agent-r0 reflection ALLOW", "agent-r0 methodhandle ALLOW", "agent-r0 methodref ALLOW");
        // Two runs share the directory: the second continues the first's chain.
        assertThat(Trails.verifiedCount(audit)).isEqualTo((1 + 3) + (1 + 3 * 2));
    }
}
