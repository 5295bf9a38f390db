package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import net.bytebuddy.asm.Advice;

/**
 * Woven into executor methods whose first argument is a {@link Runnable} task: the task runs as the submitter, and
 * threads the executor starts meanwhile are its own workers, which inherit nothing. Inlined into JDK code, so it
 * references only bootstrap classes; {@code suppress} keeps any fault of ours out of the executor.
 */
final class RunnableTaskAdvice {

    private RunnableTaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
        Propagation.enterExecutor();
        task = Propagation.wrap(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Propagation.exitExecutor();
    }
}
