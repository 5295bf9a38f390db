package dev.agentmesh.agent.weave;

import dev.agentmesh.bootstrap.SagaWeaving;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every {@code @SagaStep} method. The enter advice is not suppressed: a step that cannot be recorded
 * before it runs must not run. The exit advice is.
 */
public final class SagaStepAdvice {

    private SagaStepAdvice() {
    }

    /**
     * @param methodToken the method's sealed id, a constant
     * @param type the declaring class, a constant
     * @param self the receiver, {@code null} for a static method
     * @param args the arguments
     * @return the step's token, or {@code null} outside a saga
     */
    @Advice.OnMethodEnter
    static Object enter(@SagaMethodId long methodToken, @Advice.Origin Class<?> type,
            @Advice.This(optional = true) Object self, @Advice.AllArguments Object[] args) {
        return SagaWeaving.enterStep(methodToken, type, self, args);
    }

    /**
     * @param token what enter returned
     * @param result what the method returned, boxed; {@code null} for void
     * @param thrown what the method threw, or {@code null}
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable thrown) {
        SagaWeaving.exitStep(token, result, thrown);
    }
}
