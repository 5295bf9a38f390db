package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/** As {@link RunnableTaskAdvice}, for executor methods whose first argument is a {@link Callable}. */
final class CallableTaskAdvice {

    private CallableTaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
        Propagation.enterExecutor();
        task = Propagation.wrap(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        Propagation.exitExecutor();
    }
}
