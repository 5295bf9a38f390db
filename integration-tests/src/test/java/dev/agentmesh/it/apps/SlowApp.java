package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;

/** Makes one governed call, then prints READY and waits for a line on stdin, holding its audit directory. */
public final class SlowApp {

    private SlowApp() {
    }

    public static void main(String[] args) throws Exception {
        Tools tools = new Tools();
        AgentContext.runAs("agent-r3", tools::ring3);
        System.out.println("READY");
        System.out.flush();
        System.in.read();
    }
}
