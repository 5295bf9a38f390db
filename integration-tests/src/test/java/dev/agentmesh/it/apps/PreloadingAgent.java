package dev.agentmesh.it.apps;

import java.lang.instrument.Instrumentation;

/** Another agent, started before AgentMesh's, whose premain loads an application tool class. */
public final class PreloadingAgent {

    private PreloadingAgent() {
    }

    public static void premain(String args, Instrumentation inst) throws Exception {
        Class.forName(args, true, ClassLoader.getSystemClassLoader());
        System.err.println("preloaded " + args);
    }
}
