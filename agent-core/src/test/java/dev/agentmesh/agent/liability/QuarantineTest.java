package dev.agentmesh.agent.liability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentQuarantinedException;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarantine wired into enforcement: a demoted agent acts as ring 3, a blocked one is refused, both recorded; the
 * time limit ends it by itself, recorded; only ring 0 may quarantine or release, and a quarantined operator loses
 * that power too.
 */
class QuarantineTest {

    @TempDir
    Path dir;

    private TestHypervisor fixture;
    private AuditTrail trail;
    private AgentHypervisor hv;
    private Session session;

    @BeforeEach
    void setUp() {
        fixture = TestHypervisor.open(dir, policy());
        trail = fixture.trail;
        hv = fixture.hv;
        session = hv.createSession(SessionConfig.defaults());
    }

    private static Policy.Builder policy() {
        return Policy.builder().defaultRing(3).defaultAgent("anon").agent("root", 0).agent("root-2", 0)
                .agent("bot", 1);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private QuarantineRecord quarantine(String agent, Duration d, QuarantineMode mode) throws Exception {
        return AgentContext.runAs("root", () -> hv.quarantine(agent, d, mode, "suspicious refunds", "ops-1"));
    }

    @Test
    void aDemotedAgentActsAsRingThreeAndTheDenialSaysSo() throws Exception {
        assertThat(session.execute("bot", "t", "trusted_tool", 1, () -> "ok")).isEqualTo("ok");
        quarantine("bot", Duration.ofMinutes(10), QuarantineMode.DEMOTE);

        assertThatThrownBy(() -> session.execute("bot", "t", "trusted_tool", 1, () -> "x"))
                .isInstanceOf(RingViolationException.class).hasMessageContaining("ring 3");
        assertThat(session.execute("bot", "t", "sandboxed_tool", 3, () -> "still ok")).isEqualTo("still ok");
        List<AuditRecord> records = VerifiedTrail.read(dir);
        assertThat(records).filteredOn(r -> r.type() == RecordType.CALL_DENIED).singleElement()
                .extracting(AuditRecord::agentRing).isEqualTo(3);
        AuditRecord q = records.stream().filter(r -> r.type() == RecordType.CONTROL).findFirst().orElseThrow();
        assertThat(q.controlEvent()).isEqualTo(ControlEvent.QUARANTINED);
        assertThat(q.subject()).isEqualTo("agent:bot");
        assertThat(q.detail()).startsWith("via api; demoted to ring 3 until ");
    }

    @Test
    void aBlockedAgentIsRefusedEveryCall() throws Exception {
        quarantine("bot", Duration.ofMinutes(10), QuarantineMode.BLOCK);
        assertThatThrownBy(() -> session.execute("bot", "t", "sandboxed_tool", 3, () -> "x"))
                .isInstanceOf(AgentQuarantinedException.class)
                .hasMessageContaining("agent bot is quarantined until").hasMessageContaining("suspicious refunds");
        assertThat(hv.agents()).filteredOn(a -> a.agentId().equals("bot")).singleElement()
                .satisfies(a -> assertThat(a.quarantinedBy()).isPresent());
    }

    @Test
    void theTimeLimitEndsItByItselfAndThatIsRecorded() throws Exception {
        quarantine("bot", Duration.ofMillis(50), QuarantineMode.BLOCK);
        assertThatThrownBy(() -> session.execute("bot", "t", "a", 3, () -> "x"))
                .isInstanceOf(AgentQuarantinedException.class);
        Thread.sleep(120);
        assertThat(session.execute("bot", "t", "a", 3, () -> "free again")).isEqualTo("free again");
        assertThat(hv.quarantines()).isEmpty();
        assertThat(VerifiedTrail.read(dir)).filteredOn(r -> r.type() == RecordType.CONTROL)
                .extracting(r -> r.controlEvent() + " " + r.reason())
                .containsExactly("QUARANTINED suspicious refunds", "RELEASED time is up");
    }

    @Test
    void anOperatorCanReleaseEarly() throws Exception {
        quarantine("bot", Duration.ofHours(1), QuarantineMode.BLOCK);
        assertThat(AgentContext.runAs("root", () -> hv.release("bot", "false alarm", "ops-2"))).isTrue();
        assertThat(session.execute("bot", "t", "a", 1, () -> "ok")).isEqualTo("ok");
        assertThat(AgentContext.runAs("root", () -> hv.release("bot", "again", "ops-2"))).isFalse();
    }

    @Test
    void onlyRingZeroMayQuarantineAndAQuarantinedOperatorMayNot() throws Exception {
        assertThatThrownBy(() -> AgentContext.runAs("bot", () -> hv.quarantine("root", Duration.ofMinutes(1),
                QuarantineMode.BLOCK, "coup", "bot"))).isInstanceOf(RingViolationException.class);
        AgentContext.runAs("root-2", () -> hv.quarantine("root", Duration.ofMinutes(5), QuarantineMode.DEMOTE,
                "compromised key", "ops-3"));
        assertThatThrownBy(() -> AgentContext.runAs("root", () -> hv.release("root", "it's fine", "root")))
                .as("a demoted operator cannot release itself").isInstanceOf(RingViolationException.class);
        assertThat(hv.quarantines()).extracting(QuarantineRecord::agentId).containsExactly("root");
    }

    @Test
    void aQuarantineOutlivesARestart() throws Exception {
        quarantine("bot", Duration.ofHours(1), QuarantineMode.BLOCK);
        fixture.close();
        fixture = TestHypervisor.open(dir, policy());
        hv = fixture.hv;
        assertThatThrownBy(() -> hv.createSession(SessionConfig.defaults()).execute("bot", "t", "a", 3, () -> "x"))
                .isInstanceOf(AgentQuarantinedException.class);
        assertThat(hv.quarantines()).extracting(QuarantineRecord::reason).containsExactly("suspicious refunds");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> quarantine("bot", Duration.ofDays(8), QuarantineMode.BLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most PT168H");
        assertThatThrownBy(() -> quarantine("bot", Duration.ZERO, QuarantineMode.BLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentContext.runAs("root", () -> hv.quarantine("bot", Duration.ofMinutes(1),
                QuarantineMode.BLOCK, "", "ops"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(hv.quarantines()).isEmpty();
    }
}
