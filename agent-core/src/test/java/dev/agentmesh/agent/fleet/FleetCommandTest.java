package dev.agentmesh.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FleetCommand}: the signed note an operator's fleet command travels as. */
class FleetCommandTest {

    @TempDir
    Path dir;

    private static FleetCommand kill(String target) {
        return new FleetCommand("c-1", 1_764_000_000_000L, FleetCommand.Action.KILL, target, null, null, "alice",
                "runaway agent");
    }

    @Test
    void aSignedCommandReadsBackAsItWasOnlyWithTheOperatorsKey() throws Exception {
        CheckpointSigner ops = KeyFiles.generate(dir.resolve("ops.pem"), dir.resolve("ops.pub.pem"), "ops");
        CheckpointSigner forger = KeyFiles.generate(dir.resolve("f.pem"), dir.resolve("f.pub.pem"), "ops");
        FleetCommand quarantine = new FleetCommand("c-2", 5, FleetCommand.Action.QUARANTINE, "agent:bot",
                Duration.ofMinutes(10), QuarantineMode.BLOCK, "bob", "look at it");
        for (FleetCommand c : new FleetCommand[] {kill("agent:bot"), kill("all"), kill("session:s-1"), quarantine}) {
            assertThat(FleetCommand.verified(c.sign(ops), ops.verifierKey())).isEqualTo(c);
            assertThatThrownBy(() -> FleetCommand.verified(c.sign(forger), ops.verifierKey()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not signed by");
        }
        assertThat(quarantine.text()).isEqualTo(String.join("\n", "agentmesh fleet command v1", "id c-2", "issued 5",
                "action quarantine", "target agent:bot", "duration PT10M", "mode block", "operator bob",
                "reason look at it", ""));
    }

    @Test
    void aChangedSignedCommandOrAnotherNoteIsRefused() throws Exception {
        CheckpointSigner ops = KeyFiles.generate(dir.resolve("ops.pem"), dir.resolve("ops.pub.pem"), "ops");
        String note = new String(kill("agent:bot").sign(ops), StandardCharsets.UTF_8);
        for (String changed : new String[] {note.replace("agent:bot", "all"), note.replace("issued 1", "issued 2"),
            "garbage", ""}) {
            assertThatThrownBy(() -> FleetCommand.verified(changed.getBytes(StandardCharsets.UTF_8),
                    ops.verifierKey())).as(changed).isInstanceOf(IllegalArgumentException.class);
        }
        // Signed, but not a command.
        byte[] checkpoint = dev.agentmesh.audit.checkpoint.SignedNote.sign("agentmesh\n3\nabc=\n", ops).toBytes();
        assertThatThrownBy(() -> FleetCommand.verified(checkpoint, ops.verifierKey()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a fleet command");
    }

    @Test
    void aCommandIsOneLineOfTextPerFieldAndAQuarantineNamesOneAgent() {
        assertThatThrownBy(() -> kill("agent:bot\nreason forged")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetCommand("c", 1, FleetCommand.Action.KILL, "agent:bot", null, null, "a",
                "why\nissued 9")).hasMessageContaining("reason must be one line");
        assertThatThrownBy(() -> new FleetCommand("c", 1, FleetCommand.Action.QUARANTINE, "agent:bot", null, null,
                "a", "why")).hasMessageContaining("a quarantine, and only a quarantine");
        assertThatThrownBy(() -> new FleetCommand("c", 1, FleetCommand.Action.QUARANTINE, "all",
                Duration.ofMinutes(1), QuarantineMode.DEMOTE, "a", "why")).hasMessageContaining("names one agent");
        assertThatThrownBy(() -> kill("everyone")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FleetCommand.parse(kill("all").text() + "extra line\n"))
                .hasMessageContaining("lines after its reason");
    }

    @Test
    void aCommandIsIssuedAfterTheNewestForItsTargetWhateverTheSendersClock() {
        FleetCommand c = new FleetCommand("c", 1_000, FleetCommand.Action.REVIVE, "agent:bot", null, null, "a", "why");
        assertThat(c.issuedAfter(-1)).isSameAs(c);
        assertThat(c.issuedAfter(999)).isSameAs(c);
        // The last command for the target came from an operator whose clock is ahead: this one goes after it.
        FleetCommand after = c.issuedAfter(5_000);
        assertThat(after.issuedMillis()).isEqualTo(5_001);
        assertThat(after).usingRecursiveComparison().ignoringFields("issuedMillis").isEqualTo(c);
    }
}
