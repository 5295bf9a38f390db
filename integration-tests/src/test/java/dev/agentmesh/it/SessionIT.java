package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.SessionApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions through the real agent jar: the README's quick start as written, a session's lifecycle and limits, the
 * records they leave (every one carrying the session's id), and {@code Hypervisor.get()} without the agent.
 */
class SessionIT {

    static final String POLICY = String.join("\n",
            "version: 1",
            "defaults:",
            "  ring: 3",
            "agents:",
            "  researcher-1: {ring: 2}",
            "  intern: {ring: 3}",
            "  ops: {ring: 1}",
            "");

    @TempDir
    static Path tmp;
    static Path quickAudit;
    static Path audit;
    static ForkedJvm.Result quick;
    static ForkedJvm.Result run;

    @BeforeAll
    static void runApps() throws Exception {
        Path policy = Trails.policy(tmp, POLICY);
        quickAudit = tmp.resolve("quick-audit");
        quick = ForkedJvm.main(SessionApp.class).withAgent("policy=" + policy + ",audit.dir=" + quickAudit)
                .args("quickstart").run();
        assertThat(quick.exitCode()).as(quick.toString()).isZero();
        audit = tmp.resolve("audit");
        run = ForkedJvm.main(SessionApp.class).withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args("lifecycle").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).contains("DONE");
    }

    @Test
    void theQuickStartRunsAsWrittenAndLeavesItsSessionOnTheTrail() throws Exception {
        assertThat(quick.lines()).contains("RESULT results for agent governance");
        String sessionLine = line(quick, "SESSION ");
        assertThat(sessionLine).matches("SESSION s-[0-9a-f]+ ACTIVE \\[researcher-1\\]");
        String sessionId = sessionLine.split(" ")[1];
        String head = line(quick, "HEAD ").split(" ")[1];
        assertThat(line(quick, "HEAD ")).endsWith(" ARCHIVED");

        assertThat(Trails.verifiedCount(quickAudit)).isEqualTo(6);
        List<Map<String, String>> records = Trails.export(quickAudit);
        assertThat(records).extracting(r -> r.get("type") + ":" + r.getOrDefault("event", r.get("decision")))
                .containsExactly("GENESIS:null", "SESSION:CREATED", "SESSION:JOINED", "ALLOW:ALLOW",
                        "RETURNED:null", "SESSION:TERMINATED");
        for (Map<String, String> r : records.subList(1, records.size())) {
            assertThat(r.get("sessionId")).as("record %s", r).isEqualTo(sessionId);
        }
        Map<String, String> allow = records.get(3);
        assertThat(allow).containsEntry("agentId", "researcher-1").containsEntry("agentRing", "2")
                .containsEntry("requiredRing", "2").containsEntry("class", "tool_call")
                .containsEntry("method", "web_search");
        assertThat(records.get(1).get("detail")).isEqualTo("EVENTUAL, max 10 participants, max PT1H");
        assertThat(records.get(2)).containsEntry("agentId", "researcher-1").containsEntry("agentRing", "2");
        assertThat(records.get(5).get("hash")).as("terminate() returns the TERMINATED record's chain hash")
                .isEqualTo(head);
    }

    @Test
    void aSessionMovesThroughItsStatesAndEnforcesItsLimits() {
        assertThat(run.lines()).contains("STATE CREATED", "LOOKUP true true", "STATE ACTIVE [intern]",
                "PARTICIPANTS [intern, researcher-1]", "LEFT [researcher-1]");
        assertThat(line(run, "full -> ")).startsWith("full -> IllegalStateException: session s-")
                .endsWith("is full: it allows at most 2 participants, and ops is not one of them");
        assertThat(line(run, "HEAD ")).matches("HEAD [0-9a-f]{64} ARCHIVED again true");
        assertThat(line(run, "after-terminate -> ")).startsWith("after-terminate -> SessionClosedException: ")
                .endsWith("is terminated; it takes no more calls");
        assertThat(line(run, "lookup-archived -> ")).contains("IllegalArgumentException: no live session");
    }

    @Test
    void actionsAreDecidedByThePolicyRingAndBodiesKeepTheirOwnExceptions() {
        assertThat(line(run, "intern-ring2-action -> ")).isEqualTo("intern-ring2-action -> RingViolationException: "
                + "agent 'intern' (ring 3) may not call tool_call:delete_records, which requires ring 2");
        assertThat(line(run, "researcher-checked -> ")).isEqualTo("researcher-checked -> IOException: disk on fire");
        assertThat(run.lines()).contains("ASYNC async-ran", "ASYNC-DENY RingViolationException");
    }

    @Test
    void runAsBindsAgentAndSessionForRingMethods() throws Exception {
        assertThat(run.lines()).contains("runas-ring2 -> OK ring2", "current-session -> OK " + sessionId(),
                "OUTSIDE none");
        assertThat(line(run, "runas-ring1 -> ")).startsWith("runas-ring1 -> RingViolationException: agent "
                + "'researcher-1' (ring 2) may not call ");
        List<Map<String, String>> records = Trails.export(audit);
        Map<String, String> ring2 = records.stream().filter(r -> "ring2".equals(r.get("method"))).findFirst()
                .orElseThrow();
        assertThat(ring2).containsEntry("type", "ALLOW").containsEntry("agentId", "researcher-1")
                .containsEntry("sessionId", sessionId());
    }

    @Test
    void aSessionTheHypervisorDidNotMakeGetsNoCallsThrough() throws Exception {
        assertThat(line(run, "foreign-session -> ")).isEqualTo("foreign-session -> SessionClosedException: "
                + "session 's-forged' was not created by the AgentMesh hypervisor; it takes no calls");
        assertThat(Trails.export(audit)).anySatisfy(r -> assertThat(r).containsEntry("type", "DENY")
                .containsEntry("sessionId", "s-forged").containsEntry("method", "ring3"));
    }

    @Test
    void anExpiredSessionDeniesAndRecordsTheDenial() throws Exception {
        assertThat(run.lines()).contains("brief-before -> OK ran");
        assertThat(line(run, "brief-after -> ")).startsWith("brief-after -> SessionClosedException: session s-")
                .endsWith("expired: it was created to last at most PT0.2S");
        assertThat(line(run, "brief-runas -> ")).startsWith("brief-runas -> SessionClosedException: ");
        String brief = line(run, "BRIEF ").split(" ")[1];
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(r -> brief.equals(r.get("sessionId")))
                .extracting(r -> r.get("type") + ":" + r.getOrDefault("event", r.get("method")))
                .containsExactly("SESSION:CREATED", "SESSION:JOINED", "ALLOW:web_search", "RETURNED:null",
                        "SESSION:EXPIRED", "DENY:web_search");
    }

    @Test
    void badInputIsRefusedWithAClearMessageAndNothingRecorded() throws Exception {
        assertThat(line(run, "bad-agent -> ")).isEqualTo("bad-agent -> IllegalArgumentException: agentId "
                + "'bad agent' has the character U+0020 at index 3; use letters, digits and . _ : - only");
        assertThat(line(run, "bad-ring -> ")).startsWith("bad-ring -> IllegalArgumentException: ring must be 0..3");
        assertThat(line(run, "null-action -> ")).isEqualTo(
                "null-action -> IllegalArgumentException: action must not be null");
        assertThat(line(run, "unknown-session -> ")).startsWith(
                "unknown-session -> IllegalArgumentException: no live session 's-0000'");
        assertThat(Trails.export(audit)).noneSatisfy(r -> assertThat(r.get("method")).isEqualTo("x"));
    }

    @Test
    void sharedStateKeepsEachModesPromiseAndRecordsEveryWrite() throws Exception {
        Path stateAudit = tmp.resolve("state-audit");
        ForkedJvm.Result state = ForkedJvm.main(SessionApp.class)
                .withAgent("policy=" + Trails.policy(tmp, POLICY) + ",audit.dir=" + stateAudit).args("state").run();
        assertThat(state.exitCode()).as(state.toString()).isZero();
        assertThat(state.lines()).as(state.toString()).contains("STRICT search first 2", "ISOLATED absent",
                "SIBLINGS [v1-by-intern, v1-by-researcher]", "RESOLVED [v2-merged-by-ops]",
                "MERGED blue+red [blue+red]", "CONVERGED done",
                "MERGE taken=[review] conflicts=1 rewritten / intern-idea | looks good",
                "RESTORED search first | absent", "DONE");
        assertThat(line(state, "conflict -> ")).startsWith("conflict -> StateConflictException: key 'draft' has 2 "
                + "concurrent values [v1-by-intern, v1-by-researcher]");
        assertThat(line(state, "bad-key -> ")).startsWith("bad-key -> IllegalArgumentException: key 'a key'");
        assertThat(line(state, "closed-state -> ")).startsWith("closed-state -> SessionClosedException: ");

        String strict = line(state, "IDS ").split(" ")[1];
        List<Map<String, String>> writes = Trails.export(stateAudit).stream()
                .filter(r -> "STATE_WRITE".equals(r.get("event"))).toList();
        assertThat(writes).as("11 by agents; by the hypervisor, the fork's copy (1), the merge (2), the restore (2)")
                .hasSize(11 + 1 + 2 + 2);
        assertThat(Trails.export(stateAudit)).filteredOn(r -> strict.equals(r.get("sessionId")))
                .extracting(r -> r.get("event")).containsSubsequence("CHECKPOINT", "FORKED", "MERGED", "RESTORED");
        assertThat(writes.get(0)).containsEntry("sessionId", strict).containsEntry("agentId", "researcher-1")
                .containsEntry("agentRing", "2");
        assertThat(writes.get(0).get("detail")).isEqualTo("key plan value-sha256 "
                + sha256Hex("search first") + " clock #1");
        assertThat(writes).extracting(r -> r.get("detail").replaceAll("value-sha256 \\S+ ", ""))
                .contains("key draft clock {intern:1}", "key draft clock {intern:1,ops:1,researcher-1:1}",
                        "key tags clock {intern:2,ops:2,researcher-1:2}");
    }

    private static String sha256Hex(String value) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void withoutTheAgentHypervisorGetSaysHowToAttachIt() throws Exception {
        ForkedJvm.Result bare = ForkedJvm.main(SessionApp.class).args("noagent").run();
        assertThat(bare.exitCode()).as(bare.toString()).isZero();
        assertThat(line(bare, "NOAGENT ")).startsWith("NOAGENT no AgentMesh hypervisor in this JVM: start it with "
                + "-javaagent:");
    }

    private static String sessionId() {
        return line(run, "ID ").split(" ")[1];
    }

    private static String line(ForkedJvm.Result result, String prefix) {
        return result.lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in " + result));
    }
}
