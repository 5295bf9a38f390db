package dev.agentmesh.bootstrap;

/**
 * What woven code calls, implemented inside the agent's isolated class loader. Lives on the bootstrap class path
 * so that a method in any class loader can reach it.
 *
 * <p>Contract: {@link #enter} either returns, with the call allowed and its ALLOW record written, or throws a
 * {@link SecurityException} (a denial or an audit failure), which the woven method lets propagate.
 * {@link #exit} never throws.
 */
public interface Governor {

    /**
     * Decides and records a governed call, before its body runs.
     *
     * @param methodId the id the weaver gave the method
     * @param args the argument values, or {@code null}
     * @return the sequence number of the ALLOW record, for {@link #exit}
     * @throws SecurityException if the call is denied or cannot be audited
     */
    long enter(int methodId, Object[] args);

    /**
     * Records the outcome of an allowed call.
     *
     * @param methodId the id the weaver gave the method
     * @param callSeq what {@link #enter} returned
     * @param startNanos {@link System#nanoTime()} when the body started
     * @param thrown what the body threw, or {@code null}
     */
    void exit(int methodId, long callSeq, long startNanos, Throwable thrown);
}
