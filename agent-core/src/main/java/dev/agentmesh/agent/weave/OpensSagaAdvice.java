package dev.agentmesh.agent.weave;

import dev.agentmesh.bootstrap.SagaWeaving;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every {@code @OpensSaga} method. The enter advice is not suppressed: a saga that cannot be recorded
 * must not run. The exit advice is: undoing is the bridge's job, and nothing it does may replace what the method
 * threw.
 */
public final class OpensSagaAdvice {

    private OpensSagaAdvice() {
    }

    /**
     * @param methodToken the method's sealed id, a constant
     * @return the saga's token
     */
    @Advice.OnMethodEnter
    static Object enter(@SagaMethodId long methodToken) {
        return SagaWeaving.open(methodToken);
    }

    /**
     * @param token what enter returned
     * @param thrown what the method threw, or {@code null}
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable thrown) {
        SagaWeaving.close(token, thrown);
    }
}
