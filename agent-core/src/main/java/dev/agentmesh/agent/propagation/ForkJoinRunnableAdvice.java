package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinPool.execute(Runnable)} and {@code submit(Runnable)}: a plain task is wrapped; a fork-join task is
 * wrapped only if it is one of {@code CompletableFuture}'s own (its async steps), whose result is observed through
 * the future, never by joining the task. Any other fork-join task keeps its identity, since callers may join it: the
 * submitter is remembered for it instead, as for {@code execute/submit(ForkJoinTask)} ({@link ForkJoinTaskAdvice}).
 */
final class ForkJoinRunnableAdvice {

    private ForkJoinRunnableAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
        Propagation.enterExecutor();
        if (!(task instanceof ForkJoinTask)
                || task.getClass().getName().startsWith("java.util.concurrent.CompletableFuture$")) {
            task = Propagation.wrap(task);
        } else {
            Propagation.handingOver((ForkJoinTask<?>) task);
        }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Propagation.exitExecutor();
    }
}
