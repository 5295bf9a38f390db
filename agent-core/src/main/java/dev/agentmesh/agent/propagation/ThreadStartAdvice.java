package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import net.bytebuddy.asm.Advice;

/** {@code Thread.start()}: remembers who started the thread, so its body runs as them. */
final class ThreadStartAdvice {

    private ThreadStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread) {
        Propagation.starting(thread);
    }
}
