package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import net.bytebuddy.asm.Advice;

/** Executor methods whose task is not wrapped: threads they start are still pool workers, which inherit nothing. */
final class ExecutorOnlyAdvice {

    private ExecutorOnlyAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        Propagation.enterExecutor();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Propagation.exitExecutor();
    }
}
