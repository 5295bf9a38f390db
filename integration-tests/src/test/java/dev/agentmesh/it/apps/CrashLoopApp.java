package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import java.io.FileOutputStream;

/**
 * {@code <sideFile>}: as agent {@code agent-r2}, calls {@link NumberedTools#work} with 0, 1, 2, ... for ever; each
 * body appends its number to the side file. Prints {@code STARTED} once the burst is under way (after call 1000),
 * so the test kills it mid-burst, never before the trail is open. It only ever ends by being killed.
 */
public final class CrashLoopApp {

    private CrashLoopApp() {
    }

    public static void main(String[] args) throws Exception {
        try (FileOutputStream side = new FileOutputStream(args[0], true);
                AgentContext.Scope scope = AgentContext.enter("agent-r2")) {
            NumberedTools tools = new NumberedTools(side);
            for (long n = 0; ; n++) {
                tools.work(n);
                if (n == 1000) {
                    System.out.println("STARTED");
                    System.out.flush();
                }
            }
        }
    }
}
