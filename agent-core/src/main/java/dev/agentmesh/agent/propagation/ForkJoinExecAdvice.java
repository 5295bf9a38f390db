package dev.agentmesh.agent.propagation;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.bootstrap.Propagation;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinTask.doExec()}, through which every run of a fork-join task's body passes (on a worker, or on a
 * thread that joins or invokes it): the body runs as whoever handed the task over in a scope, and the thread's own
 * identity is restored after. {@code doExec} returns {@code int} on Java 17 and {@code void} on later releases; the
 * advice binds neither.
 */
final class ForkJoinExecAdvice {

    private ForkJoinExecAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static AgentContext.Scope enter(@Advice.This ForkJoinTask<?> task) {
        return Propagation.executing(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter AgentContext.Scope scope) {
        Propagation.executed(scope);
    }
}
