package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinPool.invoke/submit/execute(ForkJoinTask)}: the task is not wrapped (its caller joins it), so the
 * submitter is remembered for it, to be put in force when it runs ({@link ForkJoinExecAdvice}). Threads the pool
 * starts meanwhile are its own workers, which inherit nothing.
 */
final class ForkJoinTaskAdvice {

    private ForkJoinTaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) ForkJoinTask<?> task) {
        Propagation.enterExecutor();
        Propagation.handingOver(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Propagation.exitExecutor();
    }
}
