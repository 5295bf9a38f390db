package dev.agentmesh.agent.audit;

import dev.agentmesh.agent.killswitch.InFlightCalls;
import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.TrailFormat;

/** Per-thread buffers for governing a call, so the hot path allocates nothing. */
public final class CallScratch {

    /** Encodes this thread's records. */
    public final RecordEncoder encoder = new RecordEncoder();
    /**
     * Encodes this thread's session, saga and control records. Each is encoded and appended at once, so it never
     * meets a governed call's own record, which {@link #encoder} holds, half-way.
     */
    public final RecordEncoder eventEncoder = new RecordEncoder();
    /** Digests this thread's arguments. */
    public final ArgumentDigest argumentDigest = new ArgumentDigest();
    /** Receives the argument digest. */
    public final byte[] argsDigest = new byte[TrailFormat.HASH_LENGTH];
    /** The governed calls running on this thread, for the kill switch to interrupt. */
    public final InFlightCalls.Slot inFlight = InFlightCalls.newSlot();

    /**
     * The id of a woven method a framework's tool call was already admitted for, so the method's own advice lets
     * that one call through instead of deciding and recording it a second time; -1 if none.
     */
    public int preAdmitted = -1;
    /** The framework's id for the tool call about to be made on this thread, noted before its choke point. */
    public String pendingInvocationId;
    /**
     * The framework agents running on this thread, innermost last, as triples (the run's identity, its type's
     * binary name, its agent id): whose tool calls a framework's choke point attributes to them.
     */
    public final java.util.ArrayList<Object> frameworkAgents = new java.util.ArrayList<>(4);
    /** The agent whose ring bounded the last call decided on this thread, when it acted for others; else null. */
    public String worstPrincipal;
    /** What the framework tool running on this thread threw before its framework caught it, or {@code null}. */
    public Throwable toolFailure;

    /** This thread's argument arrays by length, for methods of one to three parameters. */
    private final Object[][] arguments = {null, new Object[1], new Object[2], new Object[3]};
    private boolean argumentsLent;

    /**
     * An array for a governed call's arguments: this thread's own, so the call allocates none, unless it is lent
     * already (an argument's {@code hashCode()} made a governed call of its own while being digested); then a new
     * one.
     *
     * @param length 1 to 3
     * @return an array of that length, to {@link #giveBack} once the call is decided
     */
    public Object[] borrowArguments(int length) {
        if (argumentsLent) {
            return new Object[length];
        }
        argumentsLent = true;
        return arguments[length];
    }

    /**
     * Takes back what {@link #borrowArguments} lent, clearing it so it keeps no argument reachable.
     *
     * @param args the array borrowed
     */
    public void giveBack(Object[] args) {
        if (args == arguments[args.length]) {
            java.util.Arrays.fill(args, null);
            argumentsLent = false;
        }
    }

    private static final ThreadLocal<CallScratch> CURRENT = ThreadLocal.withInitial(CallScratch::new);

    /** @return this thread's scratch */
    public static CallScratch get() {
        return CURRENT.get();
    }
}
