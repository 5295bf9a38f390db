package dev.agentmesh.agent.propagation;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.bootstrap.Propagation;
import net.bytebuddy.asm.Advice;

/** {@code run()} of {@code Thread} and its subclasses: the body runs as whoever started the thread in a scope. */
final class ThreadRunAdvice {

    private ThreadRunAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static AgentContext.Scope enter(@Advice.This Thread thread) {
        return Propagation.running(thread);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter AgentContext.Scope scope) {
        Propagation.ran(scope);
    }
}
