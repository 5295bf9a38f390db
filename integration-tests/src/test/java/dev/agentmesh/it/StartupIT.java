package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.it.apps.EarlyStartApp;
import dev.agentmesh.it.apps.ExitDuringStartApp;
import dev.agentmesh.it.apps.PreloadingAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Started with the JVM, the agent finishes its start-up beside the application's {@code main} (issue 8's start-up
 * budget), and still nothing governed runs before it is ready: a tool class loaded at once waits until it is woven,
 * {@code Hypervisor.get()} waits for the hypervisor, and {@code AgentContext.enter} waits until the executors and
 * thread classes loaded meanwhile carry identities.
 */
class StartupIT {

    @ParameterizedTest
    @ValueSource(strings = {"tool-first", "agent-first"})
    void workDoneFromTheFirstLineOfMainIsGovernedAsIfTheAgentHadFinishedFirst(String order, @TempDir Path tmp)
            throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(EarlyStartApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .args(order).run();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> work = List.of("pool ran as agent-r2", "thread ran as agent-r2");
        List<String> expected = new ArrayList<>(List.of("agent-still-starting true"));
        if (order.equals("tool-first")) {
            expected.add("first ran");
            expected.addAll(work);
        } else {
            expected.addAll(work);
            expected.add("first ran");
        }
        expected.add("session CREATED");
        assertThat(run.lines()).as(run.toString()).containsExactlyElementsOf(expected);

        List<Map<String, String>> decisions = Trails.export(audit).stream()
                .filter(r -> r.get("type").equals("ALLOW") || r.get("type").equals("DENY")).toList();
        assertThat(decisions).as(run.toString())
                .extracting(r -> r.get("type") + " " + r.get("agentId") + " "
                        + r.get("class").replaceAll(".*\\$", ""))
                .containsExactlyElementsOf(order.equals("tool-first")
                        ? List.of("ALLOW anonymous FirstTools", "ALLOW agent-r2 PoolTools",
                                "ALLOW agent-r2 ThreadTools")
                        : List.of("ALLOW agent-r2 PoolTools", "ALLOW agent-r2 ThreadTools",
                                "ALLOW anonymous FirstTools"));
    }

    @Test
    void aToolClassAnotherAgentLoadedBeforeThisOneStartedIsGovernedToo(@TempDir Path tmp) throws Exception {
        Path preloader = tmp.resolve("preloader.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", PreloadingAgent.class.getName());
        new JarOutputStream(Files.newOutputStream(preloader), manifest).close();
        Path audit = tmp.resolve("audit");

        ForkedJvm.Result run = ForkedJvm.main(EarlyStartApp.class)
                .jvmArg("-javaagent:" + preloader + "=" + EarlyStartApp.FirstTools.class.getName())
                .jvmArg("-javaagent:" + ForkedJvm.AGENT_JAR + "=policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY)
                        + ",audit.dir=" + audit)
                .args("tool-first").run();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stderr()).contains("preloaded " + EarlyStartApp.FirstTools.class.getName());
        assertThat(Trails.export(audit)).as(run.toString())
                .filteredOn(r -> r.get("type").equals("ALLOW"))
                .extracting(r -> r.get("agentId") + " " + r.get("class").replaceAll(".*\\$", ""))
                .contains("anonymous FirstTools");
    }

    @Test
    void anApplicationExitingWhileTheAgentStartsKeepsItsExitCodeAndItsHooks(@TempDir Path tmp) throws Exception {
        // With a checkpoint key, the start-up registers a shutdown hook: refused once the application is exiting.
        KeyFiles.generate(tmp.resolve("key.pem"), tmp.resolve("key.pub.pem"), "ops");
        ForkedJvm.Result run = ForkedJvm.main(ExitDuringStartApp.class)
                .withAgent("audit.dir=" + tmp.resolve("audit") + ",checkpoint.key=" + tmp.resolve("key.pem")
                        + ",checkpoint.key.name=ops")
                .run();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.lines()).as(run.toString()).contains("app hook ran");
        assertThat(run.stderr()).doesNotContain("failed to start");
    }
}
