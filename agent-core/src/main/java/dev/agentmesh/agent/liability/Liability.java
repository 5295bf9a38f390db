package dev.agentmesh.agent.liability;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.killswitch.KillSwitch;
import dev.agentmesh.agent.policy.BreachPolicy;
import dev.agentmesh.agent.policy.Containment;
import dev.agentmesh.agent.policy.LiabilityPolicy;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import dev.agentmesh.audit.format.ControlEvent;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joint liability and breach response wired into enforcement: what follows a denial (a slash for a ring violation,
 * a breach score), a kill (a slash for cause, the blast radius) and a quarantine (the blast radius). Each part is
 * on only if the policy has its section: {@code liability:} for trust, vouching, slashing and blast radius;
 * {@code breach:} for breach detection.
 *
 * <p>Nothing here may change the outcome of the call that set it off: a failure is logged and the denial stands.
 */
public final class Liability {

    private static final Logger LOG = LoggerFactory.getLogger(Liability.class);
    /** Who the runtime names as the actor of what it does by itself. */
    public static final String RUNTIME = "agentmesh";
    static final String BREACH_VIA = "breach";
    static final String BLAST_VIA = "blast radius";

    private final TrustLedger ledger;
    private final BreachDetector breaches;
    private final Spawns spawns = new Spawns();
    private final AuditTrail trail;
    private final KillSwitch killSwitch;
    private final Quarantines quarantines;

    /**
     * @param policy the policy; its liability and breach sections decide what is on
     * @param trail where everything is recorded
     * @param killSwitch what a breach may kill through, and whose kills set off slashes and blast radius
     * @param quarantines what a breach and a blast radius quarantine through
     */
    public Liability(Policy policy, AuditTrail trail, KillSwitch killSwitch, Quarantines quarantines) {
        this.ledger = policy.liability().isPresent() ? new TrustLedger(policy, trail) : null;
        this.breaches = policy.breach().map(BreachDetector::new).orElse(null);
        this.trail = trail;
        this.killSwitch = killSwitch;
        this.quarantines = quarantines;
        killSwitch.afterKill(this::killed);
        quarantines.afterQuarantine(this::quarantined);
    }

    /** @return the trust ledger, if the policy has a liability section */
    public Optional<TrustLedger> ledger() {
        return Optional.ofNullable(ledger);
    }

    /**
     * The UTF-8 of the acting agent's vouchers, for its call's record. Allocation-free.
     *
     * @param agentId the acting agent
     * @return its vouchers, comma-joined; empty if none
     */
    public byte[] vouchedByUtf8(String agentId) {
        return ledger == null ? TrustLedger.NOBODY : ledger.vouchedByUtf8(agentId);
    }

    /**
     * Notes that an agent acted on behalf of another, for a blast radius. Allocation-free once the pair is known.
     *
     * @param principal the agent it acted for
     * @param agentId the agent
     */
    public void delegated(String principal, String agentId) {
        if (ledger != null && ledger.config().blastSpawned().isPresent() && !principal.equals(agentId)) {
            spawns.note(principal, agentId);
        }
    }

    /** Why a call was denied for the agent's own conduct. */
    public enum Denial {
        /** It reached for a ring above its own. */
        RING_VIOLATION,
        /** Its quarantine blocks it. */
        BLOCKED,
        /** Its or its session's rate limit. */
        RATE_LIMITED
    }

    /**
     * What follows a governed call's denial for the agent's own conduct (not a kill or a closed session): a slash
     * for a ring violation, and a breach score. Costs nothing when the policy turns neither on.
     *
     * @param agentId the denied agent
     * @param denial why
     * @param call the call, as the denial names it
     * @param requiredRing the ring it requires
     */
    public void denied(String agentId, Denial denial, String call, int requiredRing) {
        if (ledger == null && breaches == null) {
            return;
        }
        boolean violation = denial == Denial.RING_VIOLATION;
        String what = switch (denial) {
            case RING_VIOLATION -> "ring violation: " + call + " needs ring " + requiredRing;
            case BLOCKED -> "blocked by quarantine: " + call;
            case RATE_LIMITED -> "rate limit: " + call;
        };
        try {
            if (violation && ledger != null) {
                ledger.slash(agentId, ledger.config().slashViolation(), what);
            }
            if (breaches != null) {
                BreachDetector.Breach breach = breaches.score(agentId, violation, what, System.currentTimeMillis());
                if (breach != null) {
                    breach(agentId, breach);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.error("joint liability could not act on a denial of agent {}; the denial stands", agentId, e);
        }
    }

    private void breach(String agentId, BreachDetector.Breach breach) {
        BreachPolicy config = breaches.config();
        String reason = "breach: score " + breach.score() + " reached " + config.threshold() + " within "
                + config.windowSeconds() + " s";
        trail.control(ControlEvent.BREACH, "agent:" + agentId, RUNTIME, reason, "score=" + breach.score()
                + " threshold=" + config.threshold() + " windowSeconds=" + config.windowSeconds() + " action="
                + config.action() + " evidence=" + breach.evidence());
        if (ledger != null) {
            ledger.slash(agentId, ledger.config().slashBreach(), reason);
        }
        switch (config.action()) {
            case KILL -> killSwitch.kill(KillTarget.agent(agentId), reason, RUNTIME, BREACH_VIA);
            case BLOCK -> quarantines.quarantine(agentId, Duration.ofMinutes(config.minutes()), QuarantineMode.BLOCK,
                    reason, RUNTIME, BREACH_VIA);
            case DEMOTE -> quarantines.quarantine(agentId, Duration.ofMinutes(config.minutes()),
                    QuarantineMode.DEMOTE, reason, RUNTIME, BREACH_VIA);
        }
    }

    /** An operator's kill of an agent is for cause: it slashes; every agent kill has its blast radius. */
    private void killed(KillRecord kill, String via) {
        if (kill.target().kind() != KillTarget.Kind.AGENT) {
            return;
        }
        String agentId = kill.target().id();
        try {
            if (ledger != null && !via.equals(BREACH_VIA)) {
                ledger.slash(agentId, ledger.config().slashKill(), "killed by " + kill.operatorId() + ": "
                        + kill.reason());
            }
            blastRadius(agentId, "killed: " + kill.reason());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("joint liability could not act on the kill of agent {}; the kill stands", agentId, e);
        }
    }

    private void quarantined(QuarantineRecord q, String via) {
        if (via.equals(BLAST_VIA)) {
            return; // one level: the contained agent's own vouchees are not contained in turn
        }
        try {
            blastRadius(q.agentId(), "quarantined: " + q.reason());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("joint liability could not contain the agents of {}; its quarantine stands", q.agentId(), e);
        }
    }

    /**
     * Quarantines, as the policy says, the agents {@code agentId} vouches for and those that acted on its behalf.
     * One level deep; an agent already quarantined or killed is left as it is.
     */
    private void blastRadius(String agentId, String why) {
        if (ledger == null) {
            return;
        }
        LiabilityPolicy config = ledger.config();
        Set<String> done = new LinkedHashSet<>();
        done.add(agentId);
        config.blastVouchees().ifPresent(mode -> contain(ledger.vouchees(agentId), mode, agentId, "vouches for",
                why, done));
        config.blastSpawned().ifPresent(mode -> contain(spawns.of(agentId), mode, agentId, "spawned", why, done));
    }

    private void contain(List<String> agents, Containment containment, String agentId, String relation, String why,
            Set<String> done) {
        QuarantineMode mode = containment == Containment.BLOCK ? QuarantineMode.BLOCK : QuarantineMode.DEMOTE;
        for (String other : agents) {
            if (!done.add(other) || quarantines.active(other) != null || killSwitch.agentKill(other) != null) {
                continue;
            }
            quarantines.quarantine(other, Duration.ofMinutes(ledger.config().blastMinutes()), mode,
                    "blast radius: " + agentId + " " + relation + " it and was " + why, RUNTIME, BLAST_VIA);
        }
    }
}
