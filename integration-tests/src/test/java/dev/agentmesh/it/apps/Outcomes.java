package dev.agentmesh.it.apps;

import java.util.concurrent.Callable;

/** Prints one line per attempted call: {@code <agent> <tool> ALLOW|DENY|ERROR:<exception class>}. */
final class Outcomes {

    private Outcomes() {
    }

    static void attempt(String agent, String tool, Callable<?> call) {
        String outcome;
        try {
            call.call();
            outcome = "ALLOW";
        } catch (dev.agentmesh.api.RingViolationException e) {
            outcome = "DENY";
        } catch (Throwable e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            outcome = cause instanceof dev.agentmesh.api.RingViolationException
                    ? "DENY" : "ERROR:" + cause.getClass().getName();
        }
        System.out.println(agent + " " + tool + " " + outcome);
    }
}
