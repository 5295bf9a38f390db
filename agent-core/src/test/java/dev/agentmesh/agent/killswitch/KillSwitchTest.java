package dev.agentmesh.agent.killswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.AgentStatus;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch against a real trail: a killed agent's next call fails with an {@code Error}, its calls in flight
 * are interrupted, its sagas compensate with their compensations exempt, only ring 0 may kill or revive, and all of
 * it is on the verified trail.
 */
class KillSwitchTest {

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
        return Policy.builder().defaultRing(3).defaultAgent("anon").agent("root", 0).agent("bot", 2)
                .agent("other", 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        // kills are per hypervisor; lift them so no state leaks between tests through threads
        AgentContext.runAs("root", () -> {
            hv.kills().forEach(k -> hv.revive(k.target(), "test over", "tester"));
            return null;
        });
        fixture.close();
    }

    private KillRecord kill(KillTarget target) throws Exception {
        return AgentContext.runAs("root", () -> hv.kill(target, "looping on refunds", "ops-1"));
    }

    @Test
    void aKilledAgentsNextCallFailsWithAnErrorAndIsRecordedAsADenial() throws Exception {
        assertThat(session.execute("bot", "tool_call", "search", 2, () -> "ok")).isEqualTo("ok");

        kill(KillTarget.agent("bot"));

        assertThatThrownBy(() -> session.execute("bot", "tool_call", "search", 2, () -> "ran"))
                .isInstanceOf(AgentKilledError.class).isNotInstanceOf(Exception.class)
                .hasMessageContaining("agent bot is killed (agent:bot by ops-1: looping on refunds)");
        assertThat(session.execute("other", "tool_call", "search", 2, () -> "ok")).as("others go on").isEqualTo("ok");
        List<AuditRecord> records = VerifiedTrail.read(dir);
        AuditRecord killed = records.stream().filter(r -> r.type() == RecordType.CONTROL).findFirst().orElseThrow();
        assertThat(killed.controlEvent()).isEqualTo(ControlEvent.KILLED);
        assertThat(killed.subject()).isEqualTo("agent:bot");
        assertThat(killed.actor()).isEqualTo("ops-1");
        assertThat(killed.reason()).isEqualTo("looping on refunds");
        assertThat(killed.detail()).startsWith("via api; 0 calls in flight interrupted");
        assertThat(records.subList(records.indexOf(killed), records.size()))
                .filteredOn(r -> r.type() == RecordType.CALL_DENIED).extracting(AuditRecord::agentId)
                .containsExactly("bot");
    }

    @Test
    void killedStaysKilledUntilRevived() throws Exception {
        kill(KillTarget.agent("bot"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> session.execute("bot", "t", "a", 2, () -> "x"))
                    .isInstanceOf(AgentKilledError.class);
        }
        assertThat(AgentContext.runAs("root", () -> hv.revive(KillTarget.agent("bot"), "fixed", "ops-2"))).isTrue();
        assertThat(session.execute("bot", "t", "a", 2, () -> "back")).isEqualTo("back");
        assertThat(AgentContext.runAs("root", () -> hv.revive(KillTarget.agent("bot"), "again", "ops-2"))).isFalse();
        assertThat(VerifiedTrail.read(dir)).filteredOn(r -> r.type() == RecordType.CONTROL)
                .extracting(AuditRecord::controlEvent)
                .containsExactly(ControlEvent.KILLED, ControlEvent.REVIVED, ControlEvent.REVIVED);
    }

    @Test
    void aCallInFlightIsInterrupted() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                session.execute("bot", "tool_call", "slow_io", 2, () -> {
                    inCall.countDown();
                    Thread.sleep(60_000);
                    return "finished";
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, r -> new Thread(r).start());
        assertThat(inCall.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(hv.agents()).filteredOn(a -> a.agentId().equals("bot")).singleElement()
                .extracting(AgentStatus::callsInFlight).isEqualTo(1);

        KillRecord kill = kill(KillTarget.agent("bot"));

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(kill.interruptedCalls()).isEqualTo(1);
        assertThat(hv.agents()).filteredOn(a -> a.agentId().equals("bot")).singleElement().satisfies(a -> {
            assertThat(a.killed()).isTrue();
            assertThat(a.callsInFlight()).isZero();
        });
    }

    @Test
    void aKilledAgentsRunningSagaCompensatesAndItsCompensationsAreExempt() throws Exception {
        CountDownLatch inHotel = new CountDownLatch(1);
        List<String> ledger = Collections.synchronizedList(new ArrayList<>());
        Saga saga = AgentContext.runAs("bot", () -> session.saga("trip"));
        saga.step("flight", () -> "F1", booking -> session.execute("bot", "tool_call", "cancel_flight", 2, () -> {
            ledger.add("cancel " + booking);
            return null;
        }));
        saga.step("hotel", () -> {
            inHotel.countDown();
            Thread.sleep(60_000);
            return "H1";
        }, booking -> ledger.add("cancel hotel " + booking));
        saga.step("charge", () -> "C1", r -> ledger.add("refund"));
        CompletableFuture<SagaState> run = CompletableFuture.supplyAsync(saga::run, r -> new Thread(r).start());
        assertThat(inHotel.await(5, TimeUnit.SECONDS)).isTrue();

        KillRecord kill = kill(KillTarget.agent("bot"));

        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(SagaState.COMPENSATED);
        assertThat(kill.compensatingSagas()).containsExactly(saga.id());
        assertThat(ledger).containsExactly("cancel F1"); // the governed undo ran although bot is killed
        assertThat(saga.failure().orElseThrow()).isInstanceOf(InterruptedException.class);
        assertThat(saga.failure().get().getSuppressed()).hasAtLeastOneElementOfType(AgentKilledError.class);
        assertThatThrownBy(() -> session.execute("bot", "t", "a", 2, () -> "x")).isInstanceOf(AgentKilledError.class);
    }

    @Test
    void aSessionKillStopsEveryAgentInItAndNoOtherSession() throws Exception {
        Session other = hv.createSession(SessionConfig.defaults());
        kill(KillTarget.session(session.id()));
        assertThatThrownBy(() -> session.execute("other", "t", "a", 2, () -> "x")).isInstanceOf(AgentKilledError.class);
        assertThat(other.execute("other", "t", "a", 2, () -> "fine")).isEqualTo("fine");
        assertThat(AgentContext.runAs("bot", () -> "outside")).isEqualTo("outside");
    }

    @Test
    void killingEverythingStopsEveryAgent() throws Exception {
        kill(KillTarget.all());
        assertThatThrownBy(() -> session.execute("other", "t", "a", 2, () -> "x")).isInstanceOf(AgentKilledError.class);
        assertThatThrownBy(() -> session.execute("root", "t", "a", 2, () -> "x")).isInstanceOf(AgentKilledError.class);
        assertThat(hv.kills()).extracting(KillRecord::target).containsExactly(KillTarget.all());
        // a ring-0 operator can still revive: only a kill of the operator agent itself stops its operator actions
        assertThat(AgentContext.runAs("root", () -> hv.revive(KillTarget.all(), "all clear", "ops-1"))).isTrue();
        assertThat(session.execute("other", "t", "a", 2, () -> "back")).isEqualTo("back");
    }

    @Test
    void onlyARingZeroCallerMayKillOrRevive() throws Exception {
        assertThatThrownBy(() -> AgentContext.runAs("bot", () -> hv.kill(KillTarget.agent("other"), "mine", "bot")))
                .isInstanceOf(RingViolationException.class);
        assertThatThrownBy(() -> hv.kill(KillTarget.agent("other"), "no agent in context", "x"))
                .isInstanceOf(RingViolationException.class);
        kill(KillTarget.agent("bot"));
        assertThatThrownBy(() -> AgentContext.runAs("bot", () -> hv.revive(KillTarget.agent("bot"), "me", "bot")))
                .as("a killed agent cannot revive itself").isInstanceOf(AgentKilledError.class);
        assertThat(hv.kills()).hasSize(1);
        assertThat(VerifiedTrail.read(dir)).filteredOn(r -> r.type() == RecordType.CALL_DENIED)
                .extracting(r -> r.agentId() + " " + r.methodName())
                .containsExactly("bot kill", "anon kill", "bot revive");
    }

    @Test
    void everyKillSaysWhyAndWho() {
        assertThatThrownBy(() -> AgentContext.runAs("root", () -> hv.kill(KillTarget.agent("bot"), " ", "ops")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> AgentContext.runAs("root", () -> hv.kill(KillTarget.agent("bot"), "r", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operatorId");
        assertThat(hv.kills()).isEmpty();
    }

    @Test
    void killedStaysKilledAcrossARestartUntilRevived() throws Exception {
        kill(KillTarget.agent("bot"));
        fixture.close();

        fixture = TestHypervisor.open(dir, policy());
        hv = fixture.hv;
        Session again = hv.createSession(SessionConfig.defaults());
        assertThatThrownBy(() -> again.execute("bot", "t", "a", 2, () -> "x")).isInstanceOf(AgentKilledError.class)
                .hasMessageContaining("looping on refunds");
        assertThat(hv.kills()).extracting(KillRecord::operatorId).containsExactly("ops-1");
        AgentContext.runAs("root", () -> hv.revive(KillTarget.agent("bot"), "fixed", "ops-2"));
        fixture.close();

        fixture = TestHypervisor.open(dir, policy());
        hv = fixture.hv;
        assertThat(hv.kills()).isEmpty();
        assertThat(hv.createSession(SessionConfig.defaults()).execute("bot", "t", "a", 2, () -> "back"))
                .isEqualTo("back");
    }

    @Test
    void aMalformedStateFileStopsTheStartNamingItsLine() throws Exception {
        fixture.close();
        java.nio.file.Files.writeString(dir.resolve(KillSwitch.STATE_FILE), "agent:bot\tops\t1\tr\nuser:x\tops\t1\tr\n");
        assertThatThrownBy(() -> TestHypervisor.open(dir, policy())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(KillSwitch.STATE_FILE + ":2: a kill target is agent:<id>, session:<id> or all");
        java.nio.file.Files.delete(dir.resolve(KillSwitch.STATE_FILE));
        fixture = TestHypervisor.open(dir, policy());
        hv = fixture.hv;
    }

    @Test
    void targetsParseAndPrint() {
        for (KillTarget t : List.of(KillTarget.all(), KillTarget.agent("a-1"), KillTarget.session("s-2"))) {
            assertThat(KillTarget.parse(t.toString())).isEqualTo(t);
        }
        assertThatThrownBy(() -> KillTarget.parse("user:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KillTarget.parse("agent:bad id")).isInstanceOf(IllegalArgumentException.class);
    }
}
