package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.LateAttachApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes already loaded when the agent starts are retransformed and governed, with the lambdas and method references
 * they made.
 */
class RetransformationIT {

    @Test
    void aToolClassLoadedBeforeTheAgentIsGovernedAfterItAttaches(@TempDir Path tmp) throws Exception {
        // The tool class is loaded and run before the attach; afterwards the same class is governed.
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(LateAttachApp.class)
                .jvmArg("-Djdk.attach.allowAttachSelf=true")
                .jvmArg("-XX:+EnableDynamicAgentLoading")
                .args(ForkedJvm.AGENT_JAR.toString(), "policy=" + policy + ",audit.dir=" + audit)
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).containsExactly("BODY ring0", "before-attach ring0 RAN",
                "before-attach sent ada, paid ada", "ATTACHED", "after-attach ring0 DENY", "BODY ring3",
                "after-attach ring3 ALLOW", "after-attach method-reference DENY",
                "after-attach its-target-called-directly DENY", "after-attach lambda DENY",
                "after-attach-r1 method-reference ALLOW", "after-attach-r1 lambda ALLOW");
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).extracting(r -> r.get("type") + " " + r.getOrDefault("method", "")
                + " " + r.getOrDefault("requiredRing", ""))
                .containsExactly("GENESIS  ", "DENY ring0 0", "ALLOW ring3 3", "RETURNED  ",
                        "DENY send 1", "DENY send 1", "DENY lambda$main$0 1",
                        "ALLOW send 1", "RETURNED  ", "ALLOW lambda$main$0 1", "RETURNED  ");
        assertThat(records.get(1)).containsEntry("agentId", "agent-r3");
        assertThat(run.stderr()).as("the trade-off is logged").contains("implements a governed interface method "
                + "with dev.agentmesh.it.apps.OverridesApp$Teller.send: that method is woven with ring 1, for all its "
                + "callers");
    }

    @Test
    void attachingAfterTheAppLoadedTheApiIsRefusedAndTheAppRunsOn(@TempDir Path tmp) throws Exception {
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        ForkedJvm.Result run = ForkedJvm.main(LateAttachApp.class)
                .jvmArg("-Djdk.attach.allowAttachSelf=true")
                .jvmArg("-XX:+EnableDynamicAgentLoading")
                .args(ForkedJvm.AGENT_JAR.toString(), "policy=" + policy + ",audit.dir=" + tmp.resolve("audit"),
                        "touch-api-first")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).contains("ATTACH REFUSED AgentInitializationException",
                "after-attach ring0 ALLOW");
        assertThat(run.stderr()).contains("agentmesh: cannot govern this JVM: the application loaded "
                + "dev.agentmesh.api.AgentContext");
    }
}
