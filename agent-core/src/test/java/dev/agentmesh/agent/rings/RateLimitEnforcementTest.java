package dev.agentmesh.agent.rings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.policy.RateLimit;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.RateLimitExceededException;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits wired into enforcement: a call over the agent's or the session's token bucket is denied with its own
 * exception and a DENY record; a call the ring refuses takes no token; an agent's own limit wins over its ring's.
 * The limits refill at 1 per 100 s here, so the test does not depend on timing.
 */
class RateLimitEnforcementTest {

    private static final RateLimit SLOW = new RateLimit(0.01, 3);

    @TempDir
    Path dir;

    private TestHypervisor fixture;
    private AuditTrail trail;
    private AgentHypervisor hv;

    @BeforeEach
    void setUp() {
        fixture = TestHypervisor.open(dir, Policy.builder().defaultRing(3).defaultAgent("anon").agent("bot", 2).agent("vip", 2)
                .agent("free", 1).ringLimit(2, SLOW).agentLimit("vip", new RateLimit(0.01, 5))
                .sessionLimit(new RateLimit(0.01, 6)));
        trail = fixture.trail;
        hv = fixture.hv;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void anAgentOverItsRingsLimitIsDeniedWithItsOwnExceptionAndARecord() throws Exception {
        Session s = hv.createSession(SessionConfig.defaults());
        for (int i = 0; i < 3; i++) {
            assertThat(s.execute("bot", "tool_call", "search", 2, () -> "ok")).isEqualTo("ok");
        }
        assertThatThrownBy(() -> s.execute("bot", "tool_call", "search", 2, () -> "ran"))
                .isInstanceOf(RateLimitExceededException.class)
                .hasMessage("bot may not call tool_call:search now: agent bot is over its rate limit (0.01/s, burst 3)")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        List<AuditRecord> decisions = VerifiedTrail.read(dir).stream().filter(r -> r.type().isDecision()).toList();
        assertThat(decisions).extracting(AuditRecord::type).containsExactly(RecordType.CALL_ALLOWED,
                RecordType.CALL_ALLOWED, RecordType.CALL_ALLOWED, RecordType.CALL_DENIED);
    }

    @Test
    void anAgentsOwnLimitWinsOverItsRings() {
        Session s = hv.createSession(SessionConfig.defaults());
        for (int i = 0; i < 5; i++) {
            s.execute("vip", "t", "a", 2, () -> "ok"); // its own burst of 5, not ring 2's 3
        }
        assertThatThrownBy(() -> s.execute("vip", "t", "a", 2, () -> "x"))
                .isInstanceOf(RateLimitExceededException.class).hasMessageContaining("agent vip");
    }

    @Test
    void theSessionsLimitCountsEveryAgentInItAndAnUnlimitedRingMeetsOnlyThat() {
        Session s = hv.createSession(SessionConfig.defaults());
        for (int i = 0; i < 6; i++) {
            s.execute("free", "t", "a", 2, () -> "ok");
        }
        assertThatThrownBy(() -> s.execute("free", "t", "a", 2, () -> "x"))
                .isInstanceOf(RateLimitExceededException.class).hasMessageContaining("session " + s.id());
        assertThat(hv.createSession(SessionConfig.defaults()).execute("free", "t", "a", 2, () -> "fresh"))
                .as("each session has its own bucket").isEqualTo("fresh");
    }

    @Test
    void aCallTheRingRefusesTakesNoToken() {
        Session s = hv.createSession(SessionConfig.defaults());
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> s.execute("bot", "t", "admin", 1, () -> "x"))
                    .isInstanceOf(RingViolationException.class);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(s.execute("bot", "t", "a", 2, () -> "ok")).isEqualTo("ok");
        }
    }
}
