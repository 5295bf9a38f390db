package dev.agentmesh.api;

/**
 * Thrown before the body runs by every governed call of an agent quarantined in {@link QuarantineMode#BLOCK} mode,
 * until the quarantine ends or is released. Its DENY record is on the trail. Unlike {@link AgentKilledError} it is an
 * exception: a quarantine is a timed containment, not a stop.
 */
public final class AgentQuarantinedException extends SecurityException {

    private static final long serialVersionUID = 1L;

    private final transient QuarantineRecord quarantine;

    /** @param quarantine the quarantine in force */
    public AgentQuarantinedException(QuarantineRecord quarantine) {
        super("agent " + quarantine.agentId() + " is quarantined until " + quarantine.until() + " by "
                + quarantine.operatorId() + ": " + quarantine.reason());
        this.quarantine = quarantine;
    }

    /** @return the quarantine */
    public QuarantineRecord quarantine() {
        return quarantine;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
