package dev.agentmesh.agent.liability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Containment;
import dev.agentmesh.agent.policy.DeclaredVouch;
import dev.agentmesh.agent.policy.LiabilityPolicy;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.TrustStatus;
import dev.agentmesh.api.Vouch;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordType;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joint liability wired into enforcement, through the agent's own hypervisor over a real trail: vouching raises the
 * vouchee's effective trust and the ring it earns; a ring violation slashes the offender and cascades to its
 * vouchers, bounded and recorded with the chain; a kill for cause slashes and contains the agents it vouched for or
 * spawned; slashes outlive a restart.
 */
class JointLiabilityTest {

    @TempDir
    Path dir;

    /** lead (ring 1, 900) and root (ring 0, 1000) vouch; helper's ring follows its trust (400 of its own). */
    private static Policy.Builder policy(UnaryOperator<LiabilityPolicy.Builder> liability) {
        return Policy.builder().defaultRing(3).defaultAgent("anon").agent("root", 0).agent("lead", 1)
                .agentFromTrust("helper").agentTrust("helper", 400).agentTrust("lead", 900).agentTrust("root", 1000)
                .liability(liability.apply(LiabilityPolicy.builder()).build());
    }

    private static Policy.Builder policy() {
        return policy(l -> l);
    }

    @Test
    void effectiveTrustIsOwnScorePlusBondsAndTheRingFollowsIt() throws Exception {
        try (TestHypervisor t = TestHypervisor.open(dir, policy())) {
            assertThat(t.hv.trust("helper")).extracting(TrustStatus::ownTrust, TrustStatus::effectiveTrust,
                    TrustStatus::ring, TrustStatus::ringFromTrust).containsExactly(400, 400, 3, true);

            Vouch v = AgentContext.runAs("lead", () -> t.hv.vouch("helper", 0.2, "pairs with me on refunds"));

            assertThat(v).isEqualTo(new Vouch("lead", "helper", 0.2, 180, "api"));
            TrustStatus helper = t.hv.trust("helper");
            assertThat(helper.effectiveTrust()).isEqualTo(400 + 180); // floor(0.2 × 900)
            assertThat(helper.ring()).isEqualTo(2);                   // 580 ≥ 500
            assertThat(t.hv.trust("lead").backing()).containsExactly(v);
            Session s = t.hv.createSession(SessionConfig.defaults());
            assertThat(s.execute("helper", "tool_call", "standard_tool", 2, () -> "ran")).isEqualTo("ran");

            List<AuditRecord> records = VerifiedTrail.read(dir);
            AuditRecord vouched = control(records, ControlEvent.VOUCHED).get(0);
            assertThat(vouched.subject()).isEqualTo("agent:helper");
            assertThat(vouched.actor()).isEqualTo("lead");
            assertThat(vouched.detail()).isEqualTo("share=0.20 bond=180 via=api");
            assertThat(control(records, ControlEvent.RING_CHANGED)).singleElement()
                    .extracting(AuditRecord::detail).isEqualTo("from=3 to=2 trust=580");
            assertThat(records).filteredOn(r -> r.type() == RecordType.CALL_ALLOWED
                    && "helper".equals(r.agentId())).singleElement()
                    .satisfies(r -> assertThat(r.vouchedBy()).isEqualTo("lead"));
        }
    }

    @Test
    void onlyARingZeroOrOneCallerMayVouchAndTheRefusalIsRecorded() throws Exception {
        try (TestHypervisor t = TestHypervisor.open(dir, policy())) {
            assertThatThrownBy(() -> AgentContext.runAs("anon", () -> t.hv.vouch("helper", 1.0, "trust me")))
                    .isInstanceOf(RingViolationException.class);
            assertThatThrownBy(() -> AgentContext.runAs("helper", () -> t.hv.vouch("anon", 0.5, "me too")))
                    .isInstanceOf(RingViolationException.class);
            assertThat(t.hv.trust("helper").backedBy()).isEmpty();
            assertThat(VerifiedTrail.read(dir)).filteredOn(r -> r.type() == RecordType.CALL_DENIED)
                    .extracting(AuditRecord::methodName).containsExactly("vouch", "vouch");
        }
    }

    @Test
    void aVoucherCannotStakeMoreThanAllItsTrustNorVouchForItself() throws Exception {
        try (TestHypervisor t = TestHypervisor.open(dir, policy())) {
            AgentContext.runAs("lead", () -> t.hv.vouch("helper", 0.7, "a"));
            assertThatThrownBy(() -> AgentContext.runAs("lead", () -> t.hv.vouch("anon", 0.4, "b")))
                    .hasMessageContaining("more than all its trust");
            assertThatThrownBy(() -> AgentContext.runAs("lead", () -> t.hv.vouch("lead", 0.1, "c")))
                    .hasMessageContaining("itself");
            // Replacing a vouch frees its old share.
            AgentContext.runAs("lead", () -> t.hv.vouch("helper", 0.5, "less"));
            assertThat(AgentContext.runAs("lead", () -> t.hv.vouch("anon", 0.5, "now it fits")).bond())
                    .isEqualTo(450);
        }
    }

    @Test
    void withdrawingAVouchTakesTheBondAndTheRingAway() throws Exception {
        try (TestHypervisor t = TestHypervisor.open(dir, policy())) {
            AgentContext.runAs("lead", () -> t.hv.vouch("helper", 0.2, "a"));
            assertThat(t.hv.trust("helper").ring()).isEqualTo(2);

            assertThat(AgentContext.runAs("lead", () -> t.hv.withdrawVouch("helper", "done pairing"))).isTrue();

            assertThat(t.hv.trust("helper").ring()).isEqualTo(3);
            assertThat(AgentContext.runAs("lead", () -> t.hv.withdrawVouch("helper", "again"))).isFalse();
            assertThat(control(VerifiedTrail.read(dir), ControlEvent.RING_CHANGED)).extracting(AuditRecord::detail)
                    .containsExactly("from=3 to=2 trust=580", "from=2 to=3 trust=400");
        }
    }

    @Test
    void aRingViolationSlashesTheOffenderAndCascadesUpItsVouchersWithTheChain() throws Exception {
        // helper ← lead ← root: helper loses 50, lead forfeits 25 of its bond, root 13 of its bond in lead.
        Policy.Builder p = policy(l -> l.vouch(new DeclaredVouch("lead", "helper", 0.2))
                .vouch(new DeclaredVouch("root", "lead", 0.1)));
        try (TestHypervisor t = TestHypervisor.open(dir, p)) {
            Session s = t.hv.createSession(SessionConfig.defaults());
            assertThatThrownBy(() -> s.execute("helper", "tool_call", "drop_table", 0, () -> "x"))
                    .isInstanceOf(RingViolationException.class);

            List<AuditRecord> slashes = control(VerifiedTrail.read(dir), ControlEvent.SLASHED);
            assertThat(slashes).extracting(AuditRecord::subject, AuditRecord::actor, AuditRecord::detail)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("agent:helper", "helper",
                                    "points=50 before=400 after=350 level=0 chain=helper"),
                            org.assertj.core.groups.Tuple.tuple("agent:lead", "helper",
                                    "points=25 before=900 after=875 level=1 chain=helper<lead"),
                            org.assertj.core.groups.Tuple.tuple("agent:root", "helper",
                                    "points=13 before=1000 after=987 level=2 chain=helper<lead<root"));
            assertThat(slashes.get(0).reason()).isEqualTo("ring violation: tool_call:drop_table needs ring 0");
            assertThat(slashes.get(1).reason()).startsWith("vouched for helper: ring violation");
            assertThat(t.hv.trust("helper").ownTrust()).isEqualTo(350);
            assertThat(t.hv.trust("lead").ownTrust()).isEqualTo(875);
        }
    }

    @Test
    void theCascadeStopsAtItsDepthAndNeverTakesMoreThanABond() throws Exception {
        Policy.Builder p = policy(l -> l.cascade(1.0, 1).vouch(new DeclaredVouch("lead", "helper", 0.01))
                .vouch(new DeclaredVouch("root", "lead", 0.5)));
        try (TestHypervisor t = TestHypervisor.open(dir, p)) {
            Session s = t.hv.createSession(SessionConfig.defaults());
            assertThatThrownBy(() -> s.execute("helper", "t", "x", 0, () -> "x"))
                    .isInstanceOf(RingViolationException.class);

            // lead's bond is floor(0.01 × 900) = 9: it forfeits 9, not 50; root, two levels up, nothing.
            assertThat(control(VerifiedTrail.read(dir), ControlEvent.SLASHED)).extracting(AuditRecord::subject)
                    .containsExactly("agent:helper", "agent:lead");
            assertThat(t.hv.trust("lead").ownTrust()).isEqualTo(891);
            assertThat(t.hv.trust("root").ownTrust()).isEqualTo(1000);
        }
    }

    @Test
    void slashesAndRuntimeVouchesOutliveARestart() throws Exception {
        try (TestHypervisor t = TestHypervisor.open(dir, policy())) {
            AgentContext.runAs("lead", () -> t.hv.vouch("helper", 0.2, "a"));
            Session s = t.hv.createSession(SessionConfig.defaults());
            assertThatThrownBy(() -> s.execute("helper", "t", "x", 0, () -> "x"))
                    .isInstanceOf(RingViolationException.class);
        }
        try (TestHypervisor t = TestHypervisor.open(dir, policy())) {
            TrustStatus helper = t.hv.trust("helper");
            assertThat(helper.ownTrust()).isEqualTo(350);
            assertThat(helper.backedBy()).extracting(Vouch::voucherId).containsExactly("lead");
            assertThat(t.hv.trust("lead").ownTrust()).isEqualTo(875);
            assertThat(helper.effectiveTrust()).isEqualTo(350 + 175);
        }
    }

    @Test
    void aKillForCauseSlashesAndQuarantinesTheAgentsItVouchedForOrSpawned() throws Exception {
        Policy.Builder p = policy(l -> l.blastRadius(Containment.DEMOTE, Containment.BLOCK, 30)
                .vouch(new DeclaredVouch("lead", "helper", 0.2)));
        try (TestHypervisor t = TestHypervisor.open(dir, p)) {
            Session s = t.hv.createSession(SessionConfig.defaults());
            // "worker" acts on behalf of lead: lead spawned it.
            AgentContext.runAs("lead", () -> s.execute("worker", "t", "sandboxed", 3, () -> "ok"));

            AgentContext.runAs("root", () -> t.hv.kill(KillTarget.agent("lead"), "leaked a key", "ops-1"));

            assertThat(t.hv.quarantines()).extracting(QuarantineRecord::agentId, QuarantineRecord::mode,
                    QuarantineRecord::operatorId).containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("helper", QuarantineMode.DEMOTE, "agentmesh"),
                            org.assertj.core.groups.Tuple.tuple("worker", QuarantineMode.BLOCK, "agentmesh"));
            List<AuditRecord> records = VerifiedTrail.read(dir);
            assertThat(control(records, ControlEvent.QUARANTINED)).extracting(AuditRecord::reason).containsOnly(
                    "blast radius: lead vouches for it and was killed: leaked a key",
                    "blast radius: lead spawned it and was killed: leaked a key");
            assertThat(control(records, ControlEvent.SLASHED)).first().satisfies(r -> {
                assertThat(r.subject()).isEqualTo("agent:lead");
                assertThat(r.reason()).isEqualTo("killed by ops-1: leaked a key");
                assertThat(r.detail()).startsWith("points=300 before=900 after=600 level=0");
            });
            assertThat(records).filteredOn(r -> r.type() == RecordType.CALL_ALLOWED
                    && "worker".equals(r.agentId())).singleElement()
                    .satisfies(r -> assertThat(r.onBehalfOf()).isEqualTo("lead"));
        }
    }

    @Test
    void aQuarantineContainsTheVoucheesButNotTheirOwnVouchees() throws Exception {
        Policy.Builder p = policy(l -> l.vouch(new DeclaredVouch("root", "lead", 0.1))
                .vouch(new DeclaredVouch("lead", "helper", 0.1)));
        try (TestHypervisor t = TestHypervisor.open(dir, p)) {
            AgentContext.runAs("root", () -> t.hv.quarantine("root", java.time.Duration.ofMinutes(5),
                    QuarantineMode.DEMOTE, "testing", "ops"));
            assertThat(t.hv.quarantines()).extracting(QuarantineRecord::agentId)
                    .containsExactlyInAnyOrder("root", "lead");
        }
    }

    @Test
    void withoutALiabilitySectionNothingIsSlashedAndVouchingIsRefusedWithAReason() throws Exception {
        try (TestHypervisor t = TestHypervisor.open(dir, Policy.builder().agent("lead", 1))) {
            Session s = t.hv.createSession(SessionConfig.defaults());
            assertThatThrownBy(() -> s.execute("x", "t", "x", 0, () -> "x"))
                    .isInstanceOf(RingViolationException.class);
            assertThatThrownBy(() -> AgentContext.runAs("lead", () -> t.hv.vouch("x", 0.5, "r")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no liability section");
            assertThat(VerifiedTrail.read(dir)).noneMatch(r -> r.type() == RecordType.CONTROL);
        }
    }

    static List<AuditRecord> control(List<AuditRecord> records, ControlEvent event) {
        return records.stream().filter(r -> r.type() == RecordType.CONTROL && r.controlEvent() == event).toList();
    }
}
