package dev.agentmesh.it.apps.plugin;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;

/**
 * A plugin's tool, loaded by {@code LoadersApp} through a child-first loader that also holds its own copy of the
 * AgentMesh API, as a plugin system or an application server's web application would.
 */
public final class PluginTools {

    /** @return which copy of the API this class sees: its own loader's, or another */
    public static String apiLoader() {
        ClassLoader l = AgentContext.class.getClassLoader();
        return l == PluginTools.class.getClassLoader() ? "own" : l == null ? "bootstrap" : "application";
    }

    @Ring(0)
    public String wipe() {
        return "wiped";
    }

    /**
     * Enters {@code agent} through the plugin's own copy of {@code AgentContext}, then calls the tool.
     *
     * @param agent the agent to enter
     * @return what the tool returned
     */
    public String wipeAs(String agent) {
        try (AgentContext.Scope scope = AgentContext.enter(agent)) {
            return wipe();
        }
    }
}
