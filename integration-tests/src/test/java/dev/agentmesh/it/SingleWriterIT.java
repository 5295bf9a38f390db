package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.RingMatrixApp;
import dev.agentmesh.it.apps.SlowApp;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs never write one audit directory: the second refuses to start, with one line. */
class SingleWriterIT {

    @Test
    void aSecondJvmOnTheSameAuditDirectoryRefusesToStart(@TempDir Path tmp) throws Exception {
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        String agent = "-javaagent:" + ForkedJvm.AGENT_JAR + "=policy=" + policy + ",audit.dir=" + audit;
        Process first = new ProcessBuilder(ForkedJvm.JAVA, agent, "-cp",
                ForkedJvm.TEST_CLASSES + File.pathSeparator + ForkedJvm.API_JAR, SlowApp.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("READY"));
            assertThat(line).as("the first JVM is up and holds the directory").isEqualTo("READY");

            ForkedJvm.Result second = ForkedJvm.main(RingMatrixApp.class)
                    .withAgent("policy=" + policy + ",audit.dir=" + audit).args("agent-r0").run();
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(78);
            assertThat(second.stdout()).as("main never ran").isEmpty();
            assertThat(second.stderr().strip()).isEqualTo("agentmesh: the audit directory " + audit
                    + " is in use by another JVM (pid " + first.pid() + "); give each JVM its own audit.dir");
        } finally {
            first.getOutputStream().close();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // The first JVM's trail is intact, and once it is gone the directory is free again.
        ForkedJvm.Result third = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit).args("agent-r3").run();
        assertThat(third.exitCode()).as(third.toString()).isZero();
        List<String> lines = third.lines();
        assertThat(lines).contains("agent-r3 ring3 ALLOW");
        assertThat(Trails.verifiedCount(audit)).isEqualTo((1 + 2) + (1 + 3 * 2 + 4));
    }
}
