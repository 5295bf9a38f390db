package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinTask.fork()}: a subtask forked by a task running as an agent (or by a thread in a scope) runs as that
 * agent, on whichever worker takes it.
 */
final class ForkJoinForkAdvice {

    private ForkJoinForkAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This ForkJoinTask<?> task) {
        Propagation.handingOver(task);
    }
}
