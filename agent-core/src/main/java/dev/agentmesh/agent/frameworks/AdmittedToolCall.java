package dev.agentmesh.agent.frameworks;

import dev.agentmesh.agent.rings.SessionGate;
import dev.agentmesh.api.AgentContext;

/** A framework's tool call that was admitted: what its exit needs to record the outcome and restore the thread. */
final class AdmittedToolCall {

    final long seq;
    final SessionGate session;
    /** The framework's agent's scope, entered for the tool's run; {@code null} if it was in context already. */
    final AgentContext.Scope scope;
    /** The pre-admission this call replaced on its thread, restored at exit (tool calls can nest). */
    final int outerPreAdmitted;
    final long startNanos;

    AdmittedToolCall(long seq, SessionGate session, AgentContext.Scope scope, int outerPreAdmitted,
            long startNanos) {
        this.seq = seq;
        this.session = session;
        this.scope = scope;
        this.outerPreAdmitted = outerPreAdmitted;
        this.startNanos = startNanos;
    }
}
