package dev.agentmesh.api;

import java.util.Collection;

/**
 * The entry point to shared sessions, provided by the attached AgentMesh javaagent:
 *
 * <pre>{@code
 * Hypervisor hv = Hypervisor.get();
 * Session session = hv.createSession(
 *         SessionConfig.builder().consistencyMode(ConsistencyMode.EVENTUAL).build());
 * String result = session.execute("researcher-1", "tool_call", "web_search", 2,
 *         () -> webSearch("agent governance"));
 * }</pre>
 *
 * <p>Without the javaagent there is no hypervisor: {@link #get()} throws rather than let anything run ungoverned.
 */
public abstract class Hypervisor {

    /**
     * Where the javaagent leaves its hypervisor (by reflection) just before it initialises {@link Installed}, which
     * takes it into a {@code final} field: application code could reflect on this class (its module is open), but no
     * reflection, {@code MethodHandle} or {@code VarHandle} can set a {@code static final} field.
     */
    private static Hypervisor pending;

    /** Holds the hypervisor once the agent has initialised it; {@code null} in a JVM without the agent. */
    private static final class Installed {
        static final Hypervisor HYPERVISOR = take();

        private static Hypervisor take() {
            // An agent still starting leaves its hypervisor here before it is done.
            AgentStartup.awaitWhile(() -> {
                synchronized (Hypervisor.class) {
                    return pending == null;
                }
            });
            synchronized (Hypervisor.class) {
                Hypervisor h = pending;
                pending = null;
                return h;
            }
        }
    }

    /** For the javaagent's implementation. */
    protected Hypervisor() {
    }

    /**
     * Returns the hypervisor, waiting for it if the javaagent is still starting.
     *
     * @return the hypervisor of this JVM
     * @throws IllegalStateException if the AgentMesh javaagent is not attached
     */
    public static Hypervisor get() {
        Hypervisor h = Installed.HYPERVISOR;
        if (h == null) {
            throw new IllegalStateException("no AgentMesh hypervisor in this JVM: start it with "
                    + "-javaagent:/path/to/agentmesh-javaagent.jar (optionally =policy=policy.yaml); without the "
                    + "agent nothing is governed, so nothing runs");
        }
        return h;
    }

    /**
     * Creates a session in state {@link SessionState#CREATED}, recorded on the audit trail.
     *
     * @param config its configuration
     * @return the session
     * @throws IllegalArgumentException if {@code config} is null
     */
    public abstract Session createSession(SessionConfig config);

    /**
     * @param sessionId a session's id
     * @return that session, if it is not yet archived
     * @throws IllegalArgumentException if the id is malformed or names no live session
     */
    public abstract Session session(String sessionId);

    /** @return the sessions not yet archived */
    public abstract Collection<Session> sessions();

    /**
     * Starts a new session from a checkpoint of another: same configuration, the checkpoint's state (the original is
     * never affected) and participants. Recorded as FORKED in the original and CREATED in the fork.
     *
     * @param session the session the checkpoint was taken of
     * @param checkpoint a checkpoint that session made
     * @return the fork
     * @throws IllegalArgumentException if {@code session} did not make {@code checkpoint}
     */
    public abstract Session fork(Session session, SessionCheckpoint checkpoint);

    /**
     * {@link #merge(Session, Session, MergeResolver)} keeping the target's value on conflicts
     * ({@link MergeResolver#KEEP_OURS}); the conflicts are still reported.
     *
     * @param fork a session forked from {@code into}
     * @param into the session to merge into
     * @return what was taken and every conflict
     */
    public abstract MergeResult merge(Session fork, Session into);

    /**
     * Three-way merge of a fork's state into the session it was forked from, against the checkpoint it was forked at:
     * a key only the fork changed is taken; a key only {@code into} changed stays; a key both changed differently is
     * a conflict that {@code resolver} decides. Recorded as MERGED in both sessions.
     *
     * @param fork a session forked from {@code into}
     * @param into the session to merge into
     * @param resolver decides conflicts
     * @return what was taken and every conflict, with its resolution
     * @throws IllegalArgumentException if {@code fork} was not forked from {@code into}
     * @throws SessionClosedException if {@code into} takes no calls
     */
    public abstract MergeResult merge(Session fork, Session into, MergeResolver resolver);

    /**
     * @return the recovery of sagas that earlier runs of the application left unfinished (see {@link SagaRecovery})
     */
    public abstract SagaRecovery sagaRecovery();

    /**
     * Kills an agent, a session or everything: from now on every governed call of the target throws
     * {@link AgentKilledError} (an {@code Error}, so frameworks that catch exceptions do not swallow it), its governed
     * calls in flight are interrupted, and its running sagas compensate, their compensations exempt from the kill.
     * Recorded as a CONTROL KILLED record. Killed stays killed until {@link #revive}. Killing a target already killed
     * replaces the reason and operator.
     *
     * @param target what to kill
     * @param reason why, for the record
     * @param operatorId who is killing it, for the record
     * @return the kill, with what it did at once
     * @throws RingViolationException unless the agent in context holds ring 0 (the refusal is recorded as a DENY)
     * @throws IllegalArgumentException if the reason or operator id is blank
     */
    public abstract KillRecord kill(KillTarget target, String reason, String operatorId);

    /**
     * Lifts a kill, recorded as a CONTROL REVIVED record. Reviving an agent does not lift a kill of its session or
     * of everything.
     *
     * @param target what was killed, exactly as it was killed
     * @param reason why, for the record
     * @param operatorId who is reviving it
     * @return whether a kill of that target was in force
     * @throws RingViolationException unless the agent in context holds ring 0 (the refusal is recorded as a DENY)
     */
    public abstract boolean revive(KillTarget target, String reason, String operatorId);

    /** @return the kills in force now */
    public abstract java.util.List<KillRecord> kills();

    /**
     * @return every agent the policy names or that has acted in this JVM, with its ring, whether it is killed, and
     *     its calls in flight; sorted by id
     */
    public abstract java.util.List<AgentStatus> agents();

    /**
     * Quarantines an agent for a time: {@link QuarantineMode#DEMOTE} makes it act as ring 3, {@link
     * QuarantineMode#BLOCK} refuses all its governed calls with {@link AgentQuarantinedException}. Recorded as a
     * CONTROL QUARANTINED record; when it ends (released, or its time is up, noticed at the agent's next call or
     * listing), a RELEASED record. Quarantining an agent again replaces the quarantine.
     *
     * @param agentId the agent
     * @param duration how long, more than zero, at most 7 days
     * @param mode demote or block
     * @param reason why
     * @param operatorId who
     * @return the quarantine
     * @throws RingViolationException unless the agent in context holds ring 0 (the refusal is recorded as a DENY)
     * @throws IllegalArgumentException if an argument is malformed
     */
    public abstract QuarantineRecord quarantine(String agentId, java.time.Duration duration, QuarantineMode mode,
            String reason, String operatorId);

    /**
     * Ends an agent's quarantine early, recorded as a CONTROL RELEASED record.
     *
     * @param agentId the agent
     * @param reason why
     * @param operatorId who
     * @return whether it was quarantined
     * @throws RingViolationException unless the agent in context holds ring 0
     */
    public abstract boolean release(String agentId, String reason, String operatorId);

    /** @return the quarantines in force now */
    public abstract java.util.List<QuarantineRecord> quarantines();

    /**
     * Elevates the agent in context to a more privileged ring for a time ("sudo"), within what its policy allows
     * ({@code agents.<id>.elevation: {ring: 1, maxMinutes: 15}}); ring 0 is never granted. Recorded as a CONTROL
     * ELEVATED record; each governed call that only the elevation allows is recorded as ELEVATION_USED; the end, when
     * its time is up (noticed at the agent's next call) or {@link #dropElevation()} is called, as
     * ELEVATION_EXPIRED. Elevating again replaces the elevation.
     *
     * @param ring the ring to act in, more privileged than the agent's own, 1..3
     * @param duration how long, more than zero, at most the policy's limit
     * @param justification why, not blank; recorded
     * @return the elevation
     * @throws ElevationRefusedException if the policy does not allow it (the attempt and its refusal are recorded)
     */
    public abstract Elevation elevate(int ring, java.time.Duration duration, String justification);

    /**
     * Ends the elevation of the agent in context now, if it has one.
     *
     * @return whether it had one
     */
    public abstract boolean dropElevation();

    /** @return the elevations in force now */
    public abstract java.util.List<Elevation> elevations();
    /**
     * {@link #elevate(int, java.time.Duration, String)} for {@link #DEFAULT_ELEVATION}, or the policy's limit if that
     * is shorter.
     *
     * @param ring the ring to act in, more privileged than the agent's own, 1..3
     * @param justification why, not blank; recorded
     * @return the elevation
     * @throws ElevationRefusedException if the policy does not allow it
     */
    public abstract Elevation elevate(int ring, String justification);

    /** How long an elevation lasts when none is asked for: five minutes. */
    public static final java.time.Duration DEFAULT_ELEVATION = java.time.Duration.ofMinutes(5);

    /**
     * The agent in context vouches for another, staking {@code share} of its own trust score as a bond: the bond
     * counts towards the vouchee's effective trust (and so its ring, if the policy derives it from trust), and when
     * the vouchee is slashed the voucher forfeits part of it. A voucher's shares add up to at most 1. Recorded as a
     * CONTROL VOUCHED record. Vouching again for the same agent replaces the share.
     *
     * @param voucheeId the agent to vouch for, not the caller itself
     * @param share the share of the caller's own score to stake, more than 0, at most 1
     * @param reason why, for the record
     * @return the vouch
     * @throws RingViolationException unless the agent in context holds ring 0 or 1 (the refusal is recorded)
     * @throws IllegalArgumentException if an argument is malformed or the caller's shares would exceed 1
     * @throws IllegalStateException if the policy has no {@code liability} section
     */
    public abstract Vouch vouch(String voucheeId, double share, String reason);

    /**
     * The agent in context withdraws its vouch for another, recorded as a CONTROL VOUCH_WITHDRAWN record. A vouch the
     * policy file declares cannot be withdrawn at runtime.
     *
     * @param voucheeId the agent it vouched for
     * @param reason why, for the record
     * @return whether it had vouched for it at runtime
     * @throws RingViolationException unless the agent in context holds ring 0 or 1
     */
    public abstract boolean withdrawVouch(String voucheeId, String reason);

    /**
     * @param agentId an agent
     * @return its trust, the bonds behind it and those it put up, and the ring it holds
     * @throws IllegalArgumentException if the id is malformed
     */
    public abstract TrustStatus trust(String agentId);
}
