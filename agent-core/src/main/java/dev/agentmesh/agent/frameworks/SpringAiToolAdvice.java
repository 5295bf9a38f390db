package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.Governance;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * Inlined into Spring AI's {@code MethodToolCallback.call(String, ToolContext)}, which every {@code @Tool} method
 * call passes through (the one-argument {@code call} delegates to it). Never loaded by the agent, like
 * {@link LangChain4jToolAdvice}. The agent is the {@code ToolContext} entry {@value FrameworkCalls#AGENT_ID_KEY},
 * else its {@value FrameworkCalls#CONVERSATION_ID_KEY} entry; the tool name is the tool definition's.
 *
 * <p>A denial is thrown as Spring AI's own {@code ToolExecutionException}, which its tool-calling manager hands to
 * the application's {@code ToolExecutionExceptionProcessor}: by default the model sees the refusal as the tool's
 * result, and an application that rethrows tool failures gets the denial thrown. {@code AgentKilledError}, an
 * {@code Error}, is thrown as it is and aborts the whole chat call.
 */
public final class SpringAiToolAdvice {

    private SpringAiToolAdvice() {
    }

    /**
     * @param token the weaver's framework token, a constant
     * @return the admitted call's ticket
     */
    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(0) String input, @Advice.Argument(1) ToolContext toolContext,
            @Advice.FieldValue("toolDefinition") ToolDefinition definition,
            @Advice.FieldValue("toolMethod") Method method, @FrameworkToken long token) {
        try {
            return Governance.enterTool(token, "spring-ai", definition.name(), null,
                    toolContext == null ? null : toolContext.getContext(), method, input);
        } catch (RuntimeException denied) {
            throw new ToolExecutionException(definition, denied);
        }
    }

    /**
     * @param ticket what enter returned
     * @param thrown what escaped, or {@code null}: Spring AI wraps what the tool threw in a
     *     {@code ToolExecutionException}, and the outcome names the tool's own exception
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object ticket, @Advice.Thrown Throwable thrown) {
        Governance.exitTool(ticket, thrown instanceof ToolExecutionException && thrown.getCause() != null
                ? thrown.getCause() : thrown, false);
    }
}
