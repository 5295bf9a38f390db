package dev.agentmesh.agent.weave;

import dev.agentmesh.bootstrap.Governance;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every governed method. It only calls the bootstrap {@link Governance} bridge: the decision and the
 * audit happen there, so the woven bytecode stays tiny and identical for every method.
 *
 * <p>The enter advice does not suppress exceptions: a denial must propagate, and the body must not run. The exit
 * advice suppresses everything, because the governor's {@code exit} never throws and nothing the agent does may
 * change the outcome of a call that ran.
 */
public final class RingAdvice {

    private RingAdvice() {
    }

    /**
     * @param methodId the method's id, a constant
     * @param args the arguments
     * @param start receives the time the body starts
     * @return the ALLOW record's sequence number
     */
    @Advice.OnMethodEnter
    static long enter(@GovernedMethodId int methodId, @Advice.AllArguments Object[] args,
            @Advice.Local("agentmeshStart") long start) {
        long seq = Governance.enter(methodId, args);
        start = System.nanoTime();
        return seq;
    }

    /**
     * @param methodId the method's id, a constant
     * @param seq what enter returned
     * @param start when the body started
     * @param thrown what the body threw, or {@code null}
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@GovernedMethodId int methodId, @Advice.Enter long seq,
            @Advice.Local("agentmeshStart") long start, @Advice.Thrown Throwable thrown) {
        Governance.exit(methodId, seq, start, thrown);
    }
}
