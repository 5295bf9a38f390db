package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.PropagationApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's identity follows work to other threads with no change to application code: executors,
 * CompletableFuture's async methods, fork-join pools, fork-join tasks handed to a pool or forked (and stolen), new
 * threads, virtual threads (Java 21+, so the JDK 25 pass); and pooled threads go back to "no agent" afterwards. Each
 * task calls a {@code @Ring(2)} tool, so the trail shows which agent the call was attributed to.
 */
class PropagationIT {

    /** Lines the app prints after the scope: 17 single tasks and the fork-join cases' leaves. */
    static final int AFTER_LINES = 17 + PropagationApp.AFTER_FORK_JOIN_CASES.size() * PropagationApp.LEAVES;

    @TempDir
    static Path tmp;
    static ForkedJvm.Result run;
    static Path audit;

    @BeforeAll
    static void runApp() throws Exception {
        audit = tmp.resolve("audit");
        run = ForkedJvm.main(PropagationApp.class)
                .withAgent("policy=" + Trails.policy(tmp, SessionIT.POLICY) + ",audit.dir=" + audit).run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).contains("DONE");
    }

    @Test
    void workHandedToOtherThreadsRunsAsTheAgentThatHandedItOver() {
        for (String how : List.of("submit", "execute", "invokeAll", "schedule", "supplyAsync", "supplyAsync-pool",
                "thenApplyAsync", "commonPool-submit", "forkJoin-execute", "thread", "thread-subclass")) {
            assertThat(run.lines()).as(how + " in " + run).contains(how + " researcher-1 no-session ring2-allowed");
        }
        assertThat(run.lines()).contains("session-submit researcher-1 session ring2-allowed");
    }

    @Test
    void forkJoinTasksAndEverySubtaskTheyForkRunAsTheAgentThatHandedThemOver() {
        for (String how : PropagationApp.FORK_JOIN_CASES) {
            assertThat(run.lines().stream().filter(l -> l.startsWith(how + " ")).toList()).as(how + " in " + run)
                    .hasSize(PropagationApp.LEAVES)
                    .allSatisfy(l -> assertThat(l).isEqualTo(how + " researcher-1 no-session ring2-allowed"));
        }
        // The subtasks were stolen by other workers, not all run by the one that forked them.
        String workers = run.lines().stream().filter(l -> l.startsWith("forkJoin-invoke-workers ")).findFirst()
                .orElseThrow();
        assertThat(Integer.parseInt(workers.substring(workers.indexOf(' ') + 1))).as(workers).isGreaterThan(1);
    }

    @Test
    void forkJoinHandOffsAreForgottenOnceTheTasksRan() {
        assertThat(run.lines()).contains("forkJoin-pending 0");
    }

    @Test
    void virtualThreadsCarryItTooOnJava21AndLater() throws Exception {
        if (ForkedJvm.javaFeatureVersion() < 21) {
            assertThat(run.lines()).noneMatch(l -> l.startsWith("virtual-"));
            return;
        }
        assertThat(run.lines()).contains("virtual-thread researcher-1 no-session ring2-allowed",
                "virtual-executor researcher-1 no-session ring2-allowed");
    }

    @Test
    void pooledThreadsGoBackToNoAgentAfterTheTask() {
        List<String> after = run.lines().stream().filter(l -> l.startsWith("after-")).toList();
        assertThat(after).hasSize(AFTER_LINES).allSatisfy(l -> assertThat(l).endsWith(" none no-session ring2-denied"));
    }

    @Test
    void theTrailAttributesEachHandedOverCallToTheAgent() throws Exception {
        List<Map<String, String>> ring2 = Trails.export(audit).stream()
                .filter(r -> "ring2".equals(r.get("method"))).toList();
        long allowedForResearcher = ring2.stream().filter(r -> "ALLOW".equals(r.get("type"))
                && "researcher-1".equals(r.get("agentId"))).count();
        long deniedForDefault = ring2.stream().filter(r -> "DENY".equals(r.get("type"))).count();
        assertThat(allowedForResearcher).isEqualTo(run.lines().stream().filter(l -> l.endsWith("ring2-allowed"))
                .count());
        assertThat(deniedForDefault).isEqualTo(AFTER_LINES);
    }
}
