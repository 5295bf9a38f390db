package dev.agentmesh.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FleetControl} applying the control topic's messages, over a real trail and kill switch. */
class FleetControlTest {

    @TempDir
    Path dir;
    private AuditTrail trail;
    private RingGovernor governor;
    private CheckpointSigner ops;
    private CheckpointSigner forger;
    private FleetControl control;

    @BeforeEach
    void setUp() throws Exception {
        trail = new AuditTrail(dir.resolve("audit"), new GenesisInfo("w", new byte[32], "p.yaml"), 10_000);
        trail.open();
        governor = new RingGovernor(Policy.builder().source("p.yaml").digest(new byte[32]).build(),
                new MethodRegistry(), trail, false);
        ops = KeyFiles.generate(dir.resolve("ops.pem"), dir.resolve("ops.pub.pem"), "ops");
        forger = KeyFiles.generate(dir.resolve("f.pem"), dir.resolve("f.pub.pem"), "ops");
        control = new FleetControl(FleetConfig.builder().bootstrap("k:1").build(), ops.verifierKey(),
                governor.killSwitch(), governor.quarantines(), trail);
    }

    @AfterEach
    void tearDown() {
        trail.close();
    }

    private static FleetCommand command(String id, long issued, FleetCommand.Action action, String target) {
        return new FleetCommand(id, issued, action, target, null, null, "alice", "because");
    }

    private List<String> control() throws Exception {
        return VerifiedTrail.read(dir.resolve("audit")).stream().filter(r -> r.type() == RecordType.CONTROL)
                .map(r -> r.controlEvent() + " " + r.reason().replaceAll("[:(].*", "").strip()).toList();
    }

    @Test
    void aSignedKillAppliesAndAForgedUnsignedOrGarbledOneIsRefusedAndRecorded() throws Exception {
        control.handle(command("c-0", 1, FleetCommand.Action.KILL, "agent:bot").sign(forger), "t/0@0");
        control.handle("kill agent:bot".getBytes(StandardCharsets.UTF_8), "t/0@1");
        control.handle(null, "t/0@2");
        assertThat(governor.killSwitch().agentKill("bot")).isNull();
        control.handle(command("c-1", 2, FleetCommand.Action.KILL, "agent:bot").sign(ops), "t/0@3");
        assertThat(governor.killSwitch().agentKill("bot")).isNotNull();
        assertThat(control()).containsExactly("COMMAND_REFUSED unsigned or forged",
                "COMMAND_REFUSED unsigned or forged", "COMMAND_REFUSED unsigned or forged", "KILLED because");
        AuditRecord killed = VerifiedTrail.read(dir.resolve("audit")).stream()
                .filter(r -> r.type() == RecordType.CONTROL).toList().get(3);
        assertThat(killed.actor()).isEqualTo("alice");
        assertThat(killed.reason()).isEqualTo("because (fleet command c-1)");
        assertThat(killed.detail()).startsWith("via kafka");
    }

    @Test
    void aReplayedOrStaleCommandIsRefused() throws Exception {
        byte[] kill = command("c-1", 200, FleetCommand.Action.KILL, "agent:bot").sign(ops);
        control.handle(kill, "t/0@0");
        control.handle(kill, "t/0@1");
        // An old revive put back on the topic after the kill.
        control.handle(command("c-0", 100, FleetCommand.Action.REVIVE, "agent:bot").sign(ops), "t/0@2");
        assertThat(governor.killSwitch().agentKill("bot")).isNotNull();
        control.handle(command("c-2", 300, FleetCommand.Action.REVIVE, "agent:bot").sign(ops), "t/0@3");
        assertThat(governor.killSwitch().agentKill("bot")).isNull();
        assertThat(control()).containsExactly("KILLED because", "COMMAND_REFUSED replayed", "COMMAND_REFUSED stale",
                "REVIVED because");
        assertThat(governor.killSwitch().kills()).extracting(k -> k.target()).doesNotContain(KillTarget.agent("bot"));
    }

    @Test
    void aQuarantineRunsFromWhenItWasIssued() throws Exception {
        long now = System.currentTimeMillis();
        control.handle(new FleetCommand("q-old", now - Duration.ofHours(1).toMillis(),
                FleetCommand.Action.QUARANTINE, "agent:old", Duration.ofMinutes(10), QuarantineMode.BLOCK, "alice",
                "done long ago").sign(ops), "t/0@0");
        control.handle(new FleetCommand("q-new", now, FleetCommand.Action.QUARANTINE, "agent:new",
                Duration.ofMinutes(10), QuarantineMode.DEMOTE, "alice", "look").sign(ops), "t/0@1");
        assertThat(governor.quarantines().active("old")).isNull();
        assertThat(governor.quarantines().active("new")).isNotNull();
        assertThat(governor.quarantines().active("new").until().toEpochMilli())
                // From its issue time, give or take the milliseconds between reading the clock twice.
                .isBetween(now + Duration.ofMinutes(10).toMillis() - 5_000, now + Duration.ofMinutes(10).toMillis() + 1_000);
        assertThat(control()).containsExactly("QUARANTINED look");
    }

    @Test
    void aQuarantineIssuedAheadOfThisClockLastsNoLongerThanAsked() throws Exception {
        long now = System.currentTimeMillis();
        // Issued "in three hours": an operator's clock ahead, or an issue time moved past one from such a clock.
        control.handle(new FleetCommand("q-ahead", now + Duration.ofHours(3).toMillis(),
                FleetCommand.Action.QUARANTINE, "agent:bot", Duration.ofMinutes(10), QuarantineMode.BLOCK, "alice",
                "look").sign(ops), "t/0@0");
        long tenMinutesOn = now + Duration.ofMinutes(10).toMillis();
        assertThat(governor.quarantines().active("bot").until().toEpochMilli())
                .isBetween(tenMinutesOn - 5_000, tenMinutesOn + 5_000);
    }
}
