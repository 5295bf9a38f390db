package dev.agentmesh.agent.weave;

import static net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC;

import dev.agentmesh.bootstrap.Governance;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every governed method. It only calls the bootstrap {@link Governance} bridge: the decision and the
 * audit happen there, so the woven bytecode stays tiny and identical for every method.
 *
 * <p>Methods of up to three parameters get an enter advice of their own arity ({@link OneArgument} and its
 * siblings), which passes the arguments one by one: {@code @AllArguments} would allocate an array on every call.
 *
 * <p>The enter advice does not suppress exceptions: a denial must propagate, and the body must not run. The exit
 * advice suppresses everything, because the governor's {@code exit} never throws and nothing the agent does may
 * change the outcome of a call that ran.
 */
public final class RingAdvice {

    private RingAdvice() {
    }

    /**
     * @param methodToken the method's sealed id, a constant
     * @param args the arguments
     * @param start receives the time the body starts
     * @return the ALLOW record's sequence number
     */
    @Advice.OnMethodEnter
    static long enter(@GovernedMethodId long methodToken, @Advice.AllArguments Object[] args,
            @Advice.Local("agentmeshStart") long start) {
        long seq = Governance.enter(methodToken, args);
        start = System.nanoTime();
        return seq;
    }

    /**
     * The enter advice for a method of no parameters: {@code @AllArguments} would allocate an empty array per call.
     * Its exit is {@link RingAdvice#exit}; the start time is the same named local.
     */
    public static final class NoArguments {
        private NoArguments() {
        }

        /**
         * @param methodToken the method's sealed id, a constant
         * @param start receives the time the body starts
         * @return the ALLOW record's sequence number
         */
        @Advice.OnMethodEnter
        static long enter(@GovernedMethodId long methodToken, @Advice.Local("agentmeshStart") long start) {
            long seq = Governance.enter0(methodToken);
            start = System.nanoTime();
            return seq;
        }
    }

    /** The enter advice for a method of one parameter: the argument goes on its own, so no array per call. */
    public static final class OneArgument {
        private OneArgument() {
        }

        /**
         * @param methodToken the method's sealed id, a constant
         * @param a0 the argument, boxed if primitive
         * @param start receives the time the body starts
         * @return the ALLOW record's sequence number
         */
        @Advice.OnMethodEnter
        static long enter(@GovernedMethodId long methodToken, @Advice.Argument(value = 0, typing = DYNAMIC) Object a0,
                @Advice.Local("agentmeshStart") long start) {
            long seq = Governance.enter1(methodToken, a0);
            start = System.nanoTime();
            return seq;
        }
    }

    /** The enter advice for a method of two parameters; see {@link OneArgument}. */
    public static final class TwoArguments {
        private TwoArguments() {
        }

        /**
         * @param methodToken the method's sealed id, a constant
         * @param a0 the first argument
         * @param a1 the second argument
         * @param start receives the time the body starts
         * @return the ALLOW record's sequence number
         */
        @Advice.OnMethodEnter
        static long enter(@GovernedMethodId long methodToken, @Advice.Argument(value = 0, typing = DYNAMIC) Object a0,
                @Advice.Argument(value = 1, typing = DYNAMIC) Object a1, @Advice.Local("agentmeshStart") long start) {
            long seq = Governance.enter2(methodToken, a0, a1);
            start = System.nanoTime();
            return seq;
        }
    }

    /** The enter advice for a method of three parameters; see {@link OneArgument}. */
    public static final class ThreeArguments {
        private ThreeArguments() {
        }

        /**
         * @param methodToken the method's sealed id, a constant
         * @param a0 the first argument
         * @param a1 the second argument
         * @param a2 the third argument
         * @param start receives the time the body starts
         * @return the ALLOW record's sequence number
         */
        @Advice.OnMethodEnter
        static long enter(@GovernedMethodId long methodToken, @Advice.Argument(value = 0, typing = DYNAMIC) Object a0,
                @Advice.Argument(value = 1, typing = DYNAMIC) Object a1,
                @Advice.Argument(value = 2, typing = DYNAMIC) Object a2, @Advice.Local("agentmeshStart") long start) {
            long seq = Governance.enter3(methodToken, a0, a1, a2);
            start = System.nanoTime();
            return seq;
        }
    }

    /**
     * @param methodToken the method's sealed id, a constant
     * @param seq what enter returned
     * @param start when the body started
     * @param thrown what the body threw, or {@code null}
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@GovernedMethodId long methodToken, @Advice.Enter long seq,
            @Advice.Local("agentmeshStart") long start, @Advice.Thrown Throwable thrown) {
        Governance.exit(methodToken, seq, start, thrown);
    }
}
