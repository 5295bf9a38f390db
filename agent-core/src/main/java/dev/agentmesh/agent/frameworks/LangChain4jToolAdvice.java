package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.Governance;
import dev.agentmesh.bootstrap.SagaWeaving;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into LangChain4j's {@code DefaultToolExecutor.executeWithContext}, the one method every {@code @Tool} call
 * of an AI service passes through. Never loaded by the agent: it is compiled against LangChain4j and read as bytes,
 * so only the host's LangChain4j classes link it. The call's {@code InvocationContext} goes to the agent, which reads
 * the acting agent from it ({@link LangChain4jContexts}): an agentic agent's name, else the {@code @MemoryId}.
 *
 * <p>LangChain4j runs a tool's {@code @CompensateFor} method through the same executor, with the tool's request;
 * that call is recorded as the compensating method, under the tool's name, and decided by the tool's rules. If the
 * undone call was a {@code @SagaStep} of the saga open on the thread, the saga journals this compensation as that
 * step's and does not run its own for it, so the step is undone once, here or by the saga, never both.
 *
 * <p>A denial ({@code SecurityException}) propagates out of {@code executeWithContext}: LangChain4j turns it into
 * an error result, so the model learns the tool was refused. {@code AgentKilledError} is an {@code Error}, which
 * LangChain4j does not catch there, so it aborts the whole AI-service call.
 */
public final class LangChain4jToolAdvice {

    private LangChain4jToolAdvice() {
    }

    /**
     * @param token the weaver's framework token, a constant
     * @return the admitted call's ticket
     */
    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(0) ToolExecutionRequest request,
            @Advice.Argument(1) InvocationContext context,
            @Advice.FieldValue("originalMethod") Method method,
            @Advice.FieldValue("methodToInvoke") Method invoked,
            @Advice.Local("agentmeshCompensation") Object compensation, @FrameworkToken long token) {
        // A @CompensateFor method undoing the tool is recorded as what runs, under the tool's name and rules. (A
        // proxy's method, the other reason the two differ, has the tool method's name.)
        Method runs = invoked != method && !invoked.getName().equals(method.getName()) ? invoked : method;
        Object invocation = context == null ? null : context.invocationId();
        String toolCall = request.id();
        // String.concat, not '+': the advice is inlined into LangChain4j's class, and plain calls link anywhere.
        String invocationId = invocation == null ? toolCall
                : toolCall == null ? invocation.toString() : invocation.toString().concat("#").concat(toolCall);
        Object ticket = Governance.enterTool(token, "langchain4j", request.name(), invocationId, context, runs,
                request.arguments());
        if (runs != method) {
            // Admitted: if the undone call was a step of the saga open here, the saga takes this as its undo. That
            // never throws; if it did, the admitted call must still be closed before the error leaves.
            try {
                compensation = SagaWeaving.externalCompensation(token, method, runs, "langchain4j");
            } catch (Throwable t) {
                Governance.exitTool(ticket, t, false);
                throw t;
            }
        }
        return ticket;
    }

    /**
     * @param ticket what enter returned
     * @param result the tool's result; an error result is a tool that threw
     * @param thrown what escaped, or {@code null}
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object ticket, @Advice.Return ToolExecutionResult result,
            @Advice.Thrown Throwable thrown, @Advice.Local("agentmeshCompensation") Object compensation) {
        boolean failed = thrown == null && result != null && result.isError();
        Governance.exitTool(ticket, thrown, failed);
        if (compensation != null) {
            SagaWeaving.externalCompensationEnded(compensation, thrown != null ? thrown
                    : failed ? new IllegalStateException(result.resultText()) : null);
        }
    }
}
