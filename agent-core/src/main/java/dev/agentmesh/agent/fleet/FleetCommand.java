package dev.agentmesh.agent.fleet;

import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.checkpoint.SignedNote;
import dev.agentmesh.audit.checkpoint.Verification;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * An operator's command to every agent JVM of a fleet, as it travels on the control topic: a signed note (the C2SP
 * signed-note format the checkpoints use, Ed25519) whose text is
 *
 * <pre>
 * agentmesh fleet command v1
 * id 0f8e1c2a-…             unique: a command seen twice is a replay
 * issued 1764000000000      epoch milliseconds
 * action kill               kill, revive, quarantine or release
 * target agent:ops-bot      kill and revive: all, agent:&lt;id&gt; or session:&lt;id&gt;; the others: agent:&lt;id&gt;
 * duration PT10M            quarantine only
 * mode demote               quarantine only: demote or block
 * operator alice@cli
 * reason suspected prompt injection
 * </pre>
 *
 * @param id the command's unique id
 * @param issuedMillis when the operator issued it
 * @param action what it does
 * @param target what it names, as {@link KillTarget#toString()} gives it
 * @param duration how long a quarantine lasts; {@code null} for other actions
 * @param mode a quarantine's mode; {@code null} for other actions
 * @param operator who issued it
 * @param reason why
 */
public record FleetCommand(String id, long issuedMillis, Action action, String target, Duration duration,
        QuarantineMode mode, String operator, String reason) {

    /** The note's first line. */
    static final String HEADER = "agentmesh fleet command v1";

    /** What a command does. */
    public enum Action {
        /** Kill the target in every JVM. */
        KILL,
        /** Lift a kill. */
        REVIVE,
        /** Quarantine an agent. */
        QUARANTINE,
        /** End an agent's quarantine. */
        RELEASE;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * This command issued after {@code newest}: agents refuse a command for a target issued no later than one they
     * applied, so a command must come after those on the topic for its target, whatever the sending operator's clock
     * says.
     *
     * @param newest the newest issue time among the commands for this target on the topic, or -1
     * @return this command, its issue time moved past {@code newest} if it was not already
     */
    public FleetCommand issuedAfter(long newest) {
        return issuedMillis > newest ? this
                : new FleetCommand(id, newest + 1, action, target, duration, mode, operator, reason);
    }

    /** Checks the fields: every one is one line of plain text, and a quarantine has its duration and mode. */
    public FleetCommand {
        Objects.requireNonNull(action, "action");
        line("id", id);
        line("target", target);
        line("operator", operator);
        line("reason", reason);
        if (issuedMillis < 0) {
            throw new IllegalArgumentException("issued must not be negative");
        }
        if ((action == Action.QUARANTINE) != (duration != null && mode != null)) {
            throw new IllegalArgumentException("a quarantine, and only a quarantine, has a duration and a mode");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive");
        }
        KillTarget named = KillTarget.parse(target);
        if ((action == Action.QUARANTINE || action == Action.RELEASE) && !named.toString().startsWith("agent:")) {
            throw new IllegalArgumentException(action.word() + " names one agent (agent:<id>), not " + target);
        }
    }

    private static void line(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(name + " must be one line of text");
            }
        }
    }

    /** @return the note text this command is signed as */
    public String text() {
        StringBuilder b = new StringBuilder(HEADER).append('\n')
                .append("id ").append(id).append('\n')
                .append("issued ").append(issuedMillis).append('\n')
                .append("action ").append(action.word()).append('\n')
                .append("target ").append(target).append('\n');
        if (duration != null) {
            b.append("duration ").append(duration).append('\n')
                    .append("mode ").append(mode.name().toLowerCase(Locale.ROOT)).append('\n');
        }
        return b.append("operator ").append(operator).append('\n')
                .append("reason ").append(reason).append('\n').toString();
    }

    /**
     * @param signer the operator's key
     * @return the signed note, as it goes on the control topic
     */
    public byte[] sign(CheckpointSigner signer) {
        return SignedNote.sign(text(), signer).toBytes();
    }

    /**
     * @param note a message from the control topic
     * @param key the operators' public key
     * @return the command it carries, signed by that key
     * @throws IllegalArgumentException naming what is wrong: not a signed note, not signed by the key, or not a
     *     command
     */
    public static FleetCommand verified(byte[] note, CheckpointVerifierKey key) {
        SignedNote signed;
        try {
            signed = SignedNote.parse(note);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a signed note: " + e.getMessage());
        }
        Verification v = signed.verify(key);
        if (v != Verification.VERIFIED) {
            throw new IllegalArgumentException("not signed by the operators' key '" + key.name() + "' (" + v + ")");
        }
        return parse(signed.text());
    }

    /**
     * @param text a note's text
     * @return the command it says
     * @throws IllegalArgumentException if it is not a command
     */
    static FleetCommand parse(String text) {
        String[] lines = text.split("\n", -1);
        Fields f = new Fields(lines);
        if (!f.next().equals(HEADER)) {
            throw new IllegalArgumentException("not a fleet command (the first line must be '" + HEADER + "')");
        }
        String id = f.value("id");
        long issued;
        try {
            issued = Long.parseLong(f.value("issued"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("issued must be epoch milliseconds");
        }
        Action action;
        try {
            action = Action.valueOf(f.value("action").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("action must be kill, revive, quarantine or release");
        }
        String target = f.value("target");
        Duration duration = null;
        QuarantineMode mode = null;
        if (action == Action.QUARANTINE) {
            try {
                duration = Duration.parse(f.value("duration"));
                mode = QuarantineMode.valueOf(f.value("mode").toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("a quarantine needs duration (ISO-8601) and mode (demote, block): "
                        + e.getMessage());
            }
        }
        String operator = f.value("operator");
        String reason = f.value("reason");
        if (!f.next().isEmpty() || f.hasMore()) {
            throw new IllegalArgumentException("the command has lines after its reason");
        }
        return new FleetCommand(id, issued, action, target, duration, mode, operator, reason);
    }

    /** The lines of a command, read in order. */
    private static final class Fields {
        private final String[] lines;
        private int at;

        Fields(String[] lines) {
            this.lines = lines;
        }

        String next() {
            if (at >= lines.length) {
                throw new IllegalArgumentException("the command ends early");
            }
            return lines[at++];
        }

        boolean hasMore() {
            return at < lines.length;
        }

        String value(String name) {
            String line = next();
            if (!line.startsWith(name + " ")) {
                throw new IllegalArgumentException("expected the line '" + name + " ...', got '" + line + "'");
            }
            return line.substring(name.length() + 1);
        }
    }
}
