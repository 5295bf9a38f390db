package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.Governance;
import java.lang.reflect.InvocationTargetException;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into LangChain4j's private {@code DefaultToolExecutor.execute(Object[])}, which invokes the tool: what the
 * tool threw is noted before {@code executeWithContext} turns it into an error result, so the outcome record names
 * it. Never loaded by the agent, like {@link LangChain4jToolAdvice}.
 */
public final class LangChain4jToolFailureAdvice {

    private LangChain4jToolFailureAdvice() {
    }

    /** @param thrown what the reflective invocation threw, or {@code null} */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Thrown Throwable thrown) {
        if (thrown instanceof InvocationTargetException) {
            Governance.toolFailed(thrown.getCause());
        }
    }
}
