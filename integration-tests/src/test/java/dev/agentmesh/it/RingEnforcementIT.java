package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring-pair matrix, default rings, and the trail those calls leave, through the real agent jar. */
class RingEnforcementIT {

    @TempDir
    static Path tmp;
    static Path audit;
    static ForkedJvm.Result run;

    @BeforeAll
    static void runMatrix() throws Exception {
        audit = tmp.resolve("audit");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args("agent-r0", "agent-r1", "agent-r2", "agent-r3", "stranger", "-")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void everyRingPairIsAllowedExactlyWhenTheAgentRingIsAtMostTheToolRing() {
        for (int agentRing = 0; agentRing <= 3; agentRing++) {
            for (int toolRing = 0; toolRing <= 3; toolRing++) {
                String expected = agentRing <= toolRing ? "ALLOW" : "DENY";
                assertThat(run.lines()).as(run.toString())
                        .contains("agent-r" + agentRing + " ring" + toolRing + " " + expected);
            }
        }
    }

    @Test
    void aDeniedBodyNeverRuns() {
        // agent-r3 is denied ring0..ring2; the bodies print BODY <tool> only when they run.
        long ring0Bodies = run.lines().stream().filter(l -> l.equals("BODY ring0")).count();
        assertThat(ring0Bodies).as("only agent-r0 may run ring0").isEqualTo(1);
        long ring3Bodies = run.lines().stream().filter(l -> l.equals("BODY ring3")).count();
        assertThat(ring3Bodies).as("every agent may run ring3").isEqualTo(6);
    }

    @Test
    void unknownAgentsAndCallsWithoutContextGetTheDefaultRing() {
        for (String agent : List.of("stranger", "-")) {
            assertThat(run.lines()).contains(agent + " ring3 ALLOW", agent + " ring2 DENY",
                    agent + " ring1 DENY", agent + " ring0 DENY");
        }
    }

    @Test
    void typeLevelRingGovernsPublicMethodsWithoutTheirOwn() {
        assertThat(run.lines()).contains("agent-r1 type-inherited ALLOW", "agent-r2 type-inherited DENY",
                "agent-r3 type-own ALLOW", "agent-r3 type-package-private ALLOW");
    }

    @Test
    void unannotatedMethodsAndToolExceptionsAreUntouched() {
        assertThat(run.lines()).contains("agent-r3 free ALLOW",
                "agent-r3 fails ERROR:java.lang.IllegalStateException");
    }

    @Test
    void theTrailVerifiesAndRecordsEveryDecisionAndOutcome() throws Exception {
        long allowed = run.lines().stream().filter(l -> l.matches("\\S+ (ring\\d|fails|type-inherited|type-own) "
                + "(ALLOW|ERROR:java.lang.IllegalStateException)")).count();
        long denied = run.lines().stream().filter(l -> l.endsWith(" DENY")).count();
        assertThat(Trails.verifiedCount(audit)).isEqualTo(1 + 2 * allowed + denied);

        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records.get(0).get("type")).isEqualTo("GENESIS");
        assertThat(records).filteredOn(r -> "DENY".equals(r.get("type"))).hasSize((int) denied);
        Map<String, String> deny = records.stream()
                .filter(r -> "DENY".equals(r.get("type")) && "agent-r2".equals(r.get("agentId"))
                        && "ring1".equals(r.get("method")))
                .findFirst().orElseThrow();
        assertThat(deny).containsEntry("agentRing", "2").containsEntry("requiredRing", "1")
                .containsEntry("class", "dev.agentmesh.it.apps.Tools").containsEntry("method", "ring1")
                .containsEntry("descriptor", "()Ljava/lang/String;");
        // Calls made with no agent in context are attributed to the policy's default agent.
        assertThat(records).anyMatch(r -> "anonymous".equals(r.get("agentId")));
        // Write-ahead: every outcome follows the ALLOW it closes.
        for (Map<String, String> r : records) {
            if ("THREW".equals(r.get("type"))) {
                assertThat(r.get("exception")).isEqualTo("java.lang.IllegalStateException");
            }
            if (r.containsKey("callSeq")) {
                Map<String, String> call = records.get(Integer.parseInt(r.get("callSeq")));
                assertThat(call.get("type")).isEqualTo("ALLOW");
            }
        }
    }
}
