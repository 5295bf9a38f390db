package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AuditUnavailableException;

/**
 * Makes governed calls as {@code agent-r0} until one is refused because the trail cannot be written (run under a
 * file-size limit, as on a full disk), then three more. Prints {@code REFUSED <calls made> <message>}, then
 * {@code STILL REFUSED} if the three are refused too, or {@code ALLOWED AGAIN}.
 */
public final class FullDiskApp {

    private FullDiskApp() {
    }

    public static void main(String[] args) {
        Quiet tools = new Quiet();
        long limit = Long.parseLong(args[0]);
        try (AgentContext.Scope scope = AgentContext.enter("agent-r0")) {
            long calls = 0;
            while (true) {
                try {
                    tools.quiet();
                    calls++;
                } catch (AuditUnavailableException refused) {
                    System.out.println("REFUSED " + calls + " " + refused.getMessage());
                    break;
                }
                if (calls > limit) {
                    System.out.println("NEVER REFUSED after " + calls);
                    return;
                }
            }
            int refusedAgain = 0;
            for (int i = 0; i < 3; i++) {
                try {
                    tools.quiet();
                } catch (AuditUnavailableException refused) {
                    refusedAgain++;
                }
            }
            System.out.println(refusedAgain == 3 ? "STILL REFUSED" : "ALLOWED AGAIN");
        }
    }

    /** A governed tool that prints nothing. */
    public static final class Quiet {
        @dev.agentmesh.api.Ring(3)
        public int quiet() {
            return 1;
        }
    }
}
