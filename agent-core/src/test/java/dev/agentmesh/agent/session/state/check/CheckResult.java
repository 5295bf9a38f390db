package dev.agentmesh.agent.session.state.check;

import java.util.Objects;

/**
 * A checker's verdict on a history.
 *
 * @param ok whether the history keeps the checked guarantee; an undecided check (search budget spent) is not ok
 * @param explanation on failure, what is wrong and which ops, keys, processes or replicas show it (times are
 *     nanoseconds since the earliest invoke in the history); on success, {@code "ok"}
 */
public record CheckResult(boolean ok, String explanation) {

    /** @throws NullPointerException if explanation is null */
    public CheckResult {
        Objects.requireNonNull(explanation, "explanation");
    }

    /** @return the verdict for a history that keeps the guarantee */
    public static CheckResult pass() {
        return new CheckResult(true, "ok");
    }

    /** @return the verdict for a history that does not, with why */
    public static CheckResult fail(String why) {
        return new CheckResult(false, why);
    }
}
