package dev.agentmesh.agent.liability;

import static dev.agentmesh.agent.liability.JointLiabilityTest.control;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.BreachPolicy;
import dev.agentmesh.agent.policy.DeclaredVouch;
import dev.agentmesh.agent.policy.LiabilityPolicy;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import dev.agentmesh.api.RateLimitExceededException;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Breach detection wired into enforcement: repeated reaching above the agent's ring, and other denials, score within
 * a sliding window; a score at the threshold quarantines or kills the agent, recorded as BREACH with its evidence,
 * then the action, its slash and its blast radius.
 */
class BreachDetectionTest {

    @TempDir
    Path dir;

    private static Policy.Builder policy(BreachPolicy.Action action) {
        return Policy.builder().defaultRing(3).agent("bot", 2).agent("lead", 1)
                .liability(LiabilityPolicy.builder().vouch(new DeclaredVouch("bot", "helper", 0.5)).build())
                .breach(new BreachPolicy(60, 10, 3, 1, action, 15));
    }

    @Test
    void fourReachesAboveItsRingQuarantineTheAgentWithTheEvidenceOnRecord() throws Exception {
        try (TestHypervisor t = TestHypervisor.open(dir, policy(BreachPolicy.Action.DEMOTE))) {
            Session s = t.hv.createSession(SessionConfig.defaults());
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> s.execute("bot", "tool_call", "delete_records", 0, () -> "x"))
                        .isInstanceOf(RingViolationException.class);
            }
            assertThat(t.hv.quarantines()).isEmpty(); // 9 points: not yet
            assertThatThrownBy(() -> s.execute("bot", "tool_call", "wire_money", 1, () -> "x"))
                    .isInstanceOf(RingViolationException.class);

            assertThat(t.hv.quarantines()).extracting(QuarantineRecord::agentId, QuarantineRecord::mode)
                    .contains(org.assertj.core.groups.Tuple.tuple("bot", QuarantineMode.DEMOTE));
            List<AuditRecord> records = VerifiedTrail.read(dir);
            AuditRecord breach = control(records, ControlEvent.BREACH).get(0);
            assertThat(breach.subject()).isEqualTo("agent:bot");
            assertThat(breach.detail()).isEqualTo("score=12 threshold=10 windowSeconds=60 action=DEMOTE evidence="
                    + "3 x ring violation: tool_call:delete_records needs ring 0; "
                    + "1 x ring violation: tool_call:wire_money needs ring 1");
            // the breach's own slash, after the four violation slashes
            assertThat(control(records, ControlEvent.SLASHED)).filteredOn(r -> r.subject().equals("agent:bot"))
                    .extracting(AuditRecord::reason).last().asString().startsWith("breach: score 12");
            // bot vouches for helper: helper is contained too
            assertThat(t.hv.quarantines()).extracting(QuarantineRecord::agentId).contains("helper");
            // and the demoted agent now acts as ring 3
            assertThatThrownBy(() -> s.execute("bot", "tool_call", "standard", 2, () -> "x"))
                    .isInstanceOf(RingViolationException.class).hasMessageContaining("ring 3");
        }
    }

    @Test
    void aBreachCanKillAndOtherDenialsScoreToo() throws Exception {
        Policy.Builder p = policy(BreachPolicy.Action.KILL)
                .agentLimit("bot", new dev.agentmesh.agent.policy.RateLimit(0.001, 1));
        try (TestHypervisor t = TestHypervisor.open(dir, p)) {
            Session s = t.hv.createSession(SessionConfig.defaults());
            assertThat(s.execute("bot", "t", "ok", 3, () -> "ran")).isEqualTo("ran");
            for (int i = 0; i < 7; i++) {
                assertThatThrownBy(() -> s.execute("bot", "t", "ok", 3, () -> "x"))
                        .isInstanceOf(RateLimitExceededException.class);
            }
            assertThatThrownBy(() -> s.execute("bot", "t", "admin", 0, () -> "x"))
                    .isInstanceOf(RingViolationException.class); // 7 + 3 = 10

            assertThatThrownBy(() -> s.execute("bot", "t", "ok", 3, () -> "x")).isInstanceOf(AgentKilledError.class);
            AuditRecord killed = control(VerifiedTrail.read(dir), ControlEvent.KILLED).get(0);
            assertThat(killed.subject()).isEqualTo("agent:bot");
            assertThat(killed.actor()).isEqualTo("agentmesh");
            assertThat(killed.detail()).startsWith("via breach;");
            assertThat(control(VerifiedTrail.read(dir), ControlEvent.BREACH).get(0).detail())
                    .contains("7 x rate limit: t:ok").contains("1 x ring violation: t:admin needs ring 0");
        }
    }

    @Test
    void denialsOutsideTheWindowNoLongerCount() {
        BreachDetector d = new BreachDetector(new BreachPolicy(10, 6, 3, 1, BreachPolicy.Action.DEMOTE, 1));
        assertThat(d.score("a", true, "v", 0)).isNull();
        assertThat(d.score("a", true, "v", 10_001)).isNull(); // the first fell out: 3, not 6
        assertThat(d.score("a", true, "v", 12_000)).isNotNull();
        assertThat(d.score("a", true, "v", 12_001)).isNull(); // a breach starts the window afresh
    }

    @Property(tries = 200)
    void aBreachComesExactlyWhenTheWindowsScoreReachesTheThreshold(@ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 20) int threshold, @ForAll @IntRange(min = 1, max = 5) int points) {
        BreachDetector d = new BreachDetector(new BreachPolicy(60, threshold, points, 1, BreachPolicy.Action.KILL,
                1));
        int score = 0;
        for (int i = 0; i < n; i++) {
            score += points;
            BreachDetector.Breach b = d.score("a", true, "v", 1_000 + i);
            if (score >= threshold) {
                assertThat(b).isNotNull();
                assertThat(b.score()).isEqualTo(score);
                score = 0;
            } else {
                assertThat(b).isNull();
            }
        }
    }
}
