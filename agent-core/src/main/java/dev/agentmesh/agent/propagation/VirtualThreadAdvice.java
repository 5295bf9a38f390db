package dev.agentmesh.agent.propagation;

import dev.agentmesh.bootstrap.Propagation;
import net.bytebuddy.asm.Advice;

/**
 * The constructor of {@code java.lang.VirtualThread} (Java 21+): its task runs as whoever made the thread. A
 * virtual thread's task never passes through {@code Thread.run()}, so it is wrapped where the thread is made, which
 * for {@code Thread.ofVirtual().start(task)} and virtual-thread executors is where it is started.
 */
final class VirtualThreadAdvice {

    private VirtualThreadAdvice() {
    }

    // No exception handler: this runs before the constructor's super() call, where the verifier allows none;
    // Propagation.wrap never throws.
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(value = 3, readOnly = false) Runnable task) {
        task = Propagation.wrap(task);
    }
}
