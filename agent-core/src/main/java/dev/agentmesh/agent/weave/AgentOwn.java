package dev.agentmesh.agent.weave;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** What no weaver touches: the agent's own classes and ByteBuddy's, and whatever the agent's loader defines. */
public final class AgentOwn {

    private AgentOwn() {
    }

    /** @return the agent's, its API's and bridge's, and ByteBuddy's types, by name */
    public static ElementMatcher.Junction<TypeDescription> types() {
        return nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.agentmesh.api."))
                .or(nameStartsWith("dev.agentmesh.bootstrap.")).or(nameStartsWith("dev.agentmesh.javaagent."))
                .or(nameStartsWith("dev.agentmesh.agent.")).or(nameStartsWith("dev.agentmesh.audit."));
    }

    /**
     * @param loader a class loader
     * @param agentLoader the agent's own loader
     * @return whether {@code loader} is the agent's, or one its libraries create (Chronicle's proxies, jnr's stubs)
     */
    public static boolean isAgentLoader(ClassLoader loader, ClassLoader agentLoader) {
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l == agentLoader) {
                return true;
            }
        }
        return false;
    }
}
