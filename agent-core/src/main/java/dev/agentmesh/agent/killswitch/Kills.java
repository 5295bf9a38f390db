package dev.agentmesh.agent.killswitch;

import dev.agentmesh.api.KillTarget;

/** Which calls a kill stops. */
final class Kills {

    private Kills() {
    }

    /**
     * @param target what was killed
     * @param agentId the agent of a call
     * @param sessionId the session of the call, or {@code null}
     * @return whether the kill stops that call
     */
    static boolean matches(KillTarget target, String agentId, String sessionId) {
        return switch (target.kind()) {
            case ALL -> agentId != null;
            case AGENT -> target.id().equals(agentId);
            case SESSION -> target.id().equals(sessionId);
        };
    }
}
