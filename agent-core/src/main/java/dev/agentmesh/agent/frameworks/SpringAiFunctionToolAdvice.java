package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.Governance;
import net.bytebuddy.asm.Advice;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * {@link SpringAiToolAdvice} for Spring AI's {@code FunctionToolCallback}: tools declared as functions or beans
 * rather than {@code @Tool} methods. They have no method of their own, so only the policy's rules for the tool
 * name, then the default tool ring, decide them.
 */
public final class SpringAiFunctionToolAdvice {

    private SpringAiFunctionToolAdvice() {
    }

    /**
     * @param token the weaver's framework token, a constant
     * @return the admitted call's ticket
     */
    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(0) String input, @Advice.Argument(1) ToolContext toolContext,
            @Advice.FieldValue("toolDefinition") ToolDefinition definition, @FrameworkToken long token) {
        try {
            return Governance.enterTool(token, "spring-ai", definition.name(), null,
                    toolContext == null ? null : toolContext.getContext(), null, input);
        } catch (RuntimeException denied) {
            throw new ToolExecutionException(definition, denied);
        }
    }

    /** @param ticket what enter returned @param thrown what escaped, or {@code null} */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object ticket, @Advice.Thrown Throwable thrown) {
        Governance.exitTool(ticket, thrown instanceof ToolExecutionException && thrown.getCause() != null
                ? thrown.getCause() : thrown, false);
    }
}
