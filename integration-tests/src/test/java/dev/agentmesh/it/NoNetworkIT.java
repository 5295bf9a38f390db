package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmesh.it.apps.NetworkProbeApp;
import dev.agentmesh.it.apps.NetworkRecordingSecurityManager;
import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent makes no network connection of its own: no name resolution, no connect, no listen (Chronicle's usage
 * analytics would resolve a host name at start-up). Every network permission check in the forked JVM is recorded
 * by a permissive security manager; the control run shows the recorder works.
 *
 * <p>JDK 24 removed the ability to install a security manager, so this runs only when the forked JVMs are older;
 * CI's first pass runs them on JDK 17.
 */
class NoNetworkIT {

    @BeforeAll
    static void needsASecurityManager() throws Exception {
        assumeTrue(ForkedJvm.javaFeatureVersion() < 24,
                "a security manager cannot be installed on JDK 24+; the JDK 17 pass covers this");
    }

    @Test
    void theAgentNeverTouchesTheNetwork(@TempDir Path tmp) throws Exception {
        Path record = tmp.resolve("network.log");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = recording(ForkedJvm.main(RingMatrixApp.class), record)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args("agent-r0", "agent-r3")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).contains("agent-r0 ring0 ALLOW", "agent-r3 ring0 DENY");
        assertThat(Trails.verifiedCount(audit)).as("the trail was really written").isGreaterThan(1);
        assertThat(Files.exists(record) ? Files.readString(record) : "").as("network use").isEmpty();
    }

    @Test
    void theExampleAppUnderTheAgentNeverTouchesTheNetwork(@TempDir Path tmp) throws Exception {
        Path record = tmp.resolve("network.log");
        Path policy = java.nio.file.Paths.get(System.getProperty("user.dir"))
                .resolve("../examples/research-desk-policy.yaml");
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = recording(ForkedJvm.example("dev.agentmesh.examples.researchdesk.ResearchDesk")
                .classPath(ForkedJvm.TEST_CLASSES), record)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args(tmp.resolve("desk").toString())
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).as(run.toString()).contains("session ended; its audit head is");
        assertThat(Trails.verifiedCount(audit)).as("the trail was really written").isGreaterThan(10);
        assertThat(Files.exists(record) ? Files.readString(record) : "").as("network use").isEmpty();
    }

    @Test
    void theRecorderCatchesNetworkUse(@TempDir Path tmp) throws Exception {
        Path record = tmp.resolve("network.log");
        ForkedJvm.Result run = recording(ForkedJvm.main(NetworkProbeApp.class), record).run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readString(record)).contains("agentmesh-probe.invalid")
                .contains("by " + NetworkProbeApp.class.getName() + "#main");
    }

    private static ForkedJvm recording(ForkedJvm jvm, Path record) {
        return jvm.jvmArg("-Djava.security.manager=" + NetworkRecordingSecurityManager.class.getName())
                .jvmArg("-Dnet.record=" + record);
    }
}
