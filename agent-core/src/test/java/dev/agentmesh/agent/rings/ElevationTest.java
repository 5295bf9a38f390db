package dev.agentmesh.agent.rings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.ElevationLimit;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Elevation;
import dev.agentmesh.api.ElevationRefusedException;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elevation ("sudo") wired into enforcement: within the policy's limits only, never to ring 0, for a time; audited
 * at grant, at each use and at its end; a quarantine outranks it.
 */
class ElevationTest {

    @TempDir
    Path dir;

    private TestHypervisor fixture;
    private AgentHypervisor hv;
    private Session session;

    @BeforeEach
    void setUp() {
        fixture = TestHypervisor.open(dir, Policy.builder().defaultRing(3).defaultAgent("anon").agent("root", 0)
                .agent("analyst", 2).agent("bot", 2).agentElevation("analyst", new ElevationLimit(1, 15)));
        hv = fixture.hv;
        session = hv.createSession(SessionConfig.defaults());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private Elevation elevate(String agent, int ring, Duration d, String why) throws Exception {
        return AgentContext.runAs(agent, () -> hv.elevate(ring, d, why));
    }

    @Test
    void anElevatedAgentActsInTheGrantedRingAndEachUseIsRecordedBeforeTheCall() throws Exception {
        assertThatThrownBy(() -> session.execute("analyst", "t", "read_payroll", 1, () -> "x"))
                .isInstanceOf(RingViolationException.class);

        Elevation e = elevate("analyst", 1, Duration.ofMinutes(5), "incident 42: audit payroll access");

        assertThat(e.ring()).isEqualTo(1);
        assertThat(session.execute("analyst", "t", "read_payroll", 1, () -> "payroll")).isEqualTo("payroll");
        assertThat(session.execute("analyst", "t", "search", 2, () -> "plain")).isEqualTo("plain");
        List<String> trail = VerifiedTrail.read(dir).stream()
                .filter(r -> r.type() == RecordType.CONTROL || r.type().isDecision())
                .map(r -> r.type() == RecordType.CONTROL ? r.controlEvent() + " " + r.subject()
                        : r.decision() + " " + r.methodName() + " ring " + r.agentRing())
                .toList();
        assertThat(trail).containsSubsequence("DENY read_payroll ring 2", "ALLOW elevate ring 2",
                "ELEVATED agent:analyst", "ELEVATION_USED agent:analyst", "ALLOW read_payroll ring 1",
                "ALLOW search ring 1");
        assertThat(trail).filteredOn(l -> l.startsWith("ELEVATION_USED")).hasSize(1); // the ring-2 call needed none
        assertThat(hv.elevations()).extracting(Elevation::agentId).containsExactly("analyst");
    }

    @Test
    void anElevationEndsWhenItsTimeIsUpOrWhenDropped() throws Exception {
        elevate("analyst", 1, Duration.ofMillis(50), "quick look");
        Thread.sleep(120);
        assertThatThrownBy(() -> session.execute("analyst", "t", "read_payroll", 1, () -> "x"))
                .isInstanceOf(RingViolationException.class);
        elevate("analyst", 1, Duration.ofMinutes(5), "again");
        assertThat(AgentContext.runAs("analyst", () -> hv.dropElevation())).isTrue();
        assertThatThrownBy(() -> session.execute("analyst", "t", "read_payroll", 1, () -> "x"))
                .isInstanceOf(RingViolationException.class);
        assertThat(VerifiedTrail.read(dir)).filteredOn(r -> r.type() == RecordType.CONTROL)
                .extracting(r -> r.controlEvent() + " " + r.reason())
                .containsExactly("ELEVATED quick look", "ELEVATION_EXPIRED time is up", "ELEVATED again",
                        "ELEVATION_EXPIRED dropped");
    }

    @Test
    void withoutADurationAnElevationLastsFiveMinutes() throws Exception {
        Elevation e = AgentContext.runAs("analyst", () -> hv.elevate(1, "incident 43"));
        assertThat(Duration.between(e.from(), e.until())).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void onlyWhatThePolicyAllowsIsGranted() throws Exception {
        assertThatThrownBy(() -> elevate("bot", 1, Duration.ofMinutes(1), "I want it"))
                .isInstanceOf(ElevationRefusedException.class).hasMessageContaining("elevate to no ring");
        assertThatThrownBy(() -> elevate("analyst", 0, Duration.ofMinutes(1), "root please"))
                .isInstanceOf(ElevationRefusedException.class).hasMessageContaining("ring 1 at most");
        assertThatThrownBy(() -> elevate("analyst", 1, Duration.ofMinutes(16), "long"))
                .isInstanceOf(ElevationRefusedException.class).hasMessageContaining("at most 15 minutes");
        assertThatThrownBy(() -> elevate("analyst", 1, Duration.ofMinutes(1), " "))
                .isInstanceOf(ElevationRefusedException.class).hasMessageContaining("justification");
        assertThat(hv.elevations()).isEmpty();
        List<AuditRecord> outcomes = VerifiedTrail.read(dir).stream()
                .filter(r -> r.type() == RecordType.CALL_THREW).toList();
        assertThat(outcomes).hasSize(4)
                .allMatch(r -> r.exceptionClass().equals(ElevationRefusedException.class.getName()));
    }

    @Test
    void aQuarantineOutranksAnElevation() throws Exception {
        elevate("analyst", 1, Duration.ofMinutes(5), "incident");
        AgentContext.runAs("root", () -> hv.quarantine("analyst", Duration.ofMinutes(5), QuarantineMode.DEMOTE,
                "odd pattern", "ops"));
        assertThatThrownBy(() -> session.execute("analyst", "t", "search", 2, () -> "x"))
                .isInstanceOf(RingViolationException.class).hasMessageContaining("ring 3");
    }
}
