package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.Governance;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Spring AI's {@code ToolCallingObservationContext.Builder.toolCallId(String)}: the tool-calling
 * manager names each tool call there, on the calling thread, just before calling the tool, which itself never
 * sees the id. The id is noted for that call's record.
 */
public final class SpringAiToolCallIdAdvice {

    private SpringAiToolCallIdAdvice() {
    }

    /** @param toolCallId the model's id for the tool call */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) String toolCallId) {
        if (toolCallId != null) {
            Governance.toolInvocation(toolCallId);
        }
    }
}
