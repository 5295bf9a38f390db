package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent arguments win over system properties, which win over environment variables. */
class ConfigPrecedenceIT {

    @Test
    void agentArgumentsThenSystemPropertiesThenEnvironment(@TempDir Path tmp) throws Exception {
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path fromArgs = tmp.resolve("from-args");
        Path fromProps = tmp.resolve("from-props");
        Path fromEnv = tmp.resolve("from-env");

        run(tmp, "audit.dir=" + fromArgs, policy, fromProps, fromEnv);
        assertThat(Files.exists(fromArgs)).isTrue();
        assertThat(Files.exists(fromProps)).isFalse();

        run(tmp, null, policy, fromProps, fromEnv);
        assertThat(Files.exists(fromProps)).isTrue();
        assertThat(Files.exists(fromEnv)).isFalse();

        run(tmp, null, policy, null, fromEnv);
        assertThat(Files.exists(fromEnv)).isTrue();
        // agent-r3: ring3, fails and type-own allowed (2 records each), ring0..2 and type-inherited denied.
        assertThat(Trails.verifiedCount(fromEnv)).isEqualTo(1 + 3 * 2 + 4);
    }

    private static void run(Path tmp, String agentArgs, Path policy, Path propDir, Path envDir) throws Exception {
        ForkedJvm jvm = ForkedJvm.main(RingMatrixApp.class).withAgent(agentArgs).workDir(tmp)
                .env("AGENTMESH_POLICY", policy.toString()).env("AGENTMESH_AUDIT_DIR", envDir.toString());
        if (propDir != null) {
            jvm.jvmArg("-Dagentmesh.audit.dir=" + propDir);
        }
        ForkedJvm.Result r = jvm.args("agent-r3").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).as("the policy came from AGENTMESH_POLICY").contains("agent-r3 ring3 ALLOW",
                "agent-r3 ring2 DENY");
    }
}
