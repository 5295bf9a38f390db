package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The research-desk example behaves as the README says, under the real agent, and its trail verifies. */
class ExampleIT {

    @Test
    void researchDeskRunsGovernedAndLeavesAVerifiableTrail(@TempDir Path tmp) throws Exception {
        Path policy = Paths.get(System.getProperty("user.dir")).resolve("../examples/research-desk-policy.yaml");
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.example("dev.agentmesh.examples.researchdesk.ResearchDesk")
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args(tmp.resolve("desk").toString())
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).as(run.toString())
                .containsPattern("ALLOWED +researcher-1 +searches the web")
                .containsPattern("DENIED +researcher-1 +writes report.md: holds ring 2, the tool needs ring 1")
                .containsPattern("ALLOWED +ops-bot +writes report.md")
                .containsPattern("DENIED +intern-7 +searches the web: holds ring 3, the tool needs ring 2")
                .containsPattern("ALLOWED +intern-7 +reads the notice board")
                .containsPattern("Shared session s-[0-9a-f]+ \\(STRICT, at most 2 agents\\):")
                .containsPattern("ALLOWED +ops-bot +writes the shared draft")
                .containsPattern("session ended; its audit head is [0-9a-f]{64}");
        assertThat(Files.readString(tmp.resolve("desk/report.md"))).startsWith("# Findings");

        // GENESIS, 3 allowed calls and their outcomes, 2 denials; then the session: CREATED, 2 JOINED, a STATE_WRITE,
        // the session action and the search inside it, the shared write (3 ALLOWs with outcomes), TERMINATED.
        assertThat(Trails.verifiedCount(audit)).isEqualTo(1 + 3 * 2 + 2 + 5 + 3 * 2);
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(r -> "DENY".equals(r.get("type")))
                .extracting(r -> r.get("agentId") + " " + r.get("method"))
                .containsExactly("researcher-1 writeFile", "intern-7 webSearch");
        String head = run.stdout().replaceAll("(?s).*its audit head is ([0-9a-f]{64}).*", "$1");
        List<Map<String, String>> session = records.subList(9, records.size());
        assertThat(session).as("every record of the session carries its id")
                .allSatisfy(r -> assertThat(r.get("sessionId")).startsWith("s-"));
        assertThat(session.get(session.size() - 1)).containsEntry("event", "TERMINATED").containsEntry("hash", head);
    }
}
