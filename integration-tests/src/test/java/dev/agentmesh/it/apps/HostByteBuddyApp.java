package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A host application that ships its own ByteBuddy, different from the agent's, uses it, and calls governed tools.
 * It also reports whether the agent's libraries leak onto its class path.
 */
public final class HostByteBuddyApp {

    private HostByteBuddyApp() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> generated = new ByteBuddy().subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by host ByteBuddy"))
                .make().load(HostByteBuddyApp.class.getClassLoader()).getLoaded();
        System.out.println("GENERATED " + generated.getDeclaredConstructor().newInstance());
        System.out.println("HOST_BYTEBUDDY " + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());
        for (String hidden : new String[] {"net.openhft.chronicle.queue.ChronicleQueue",
                "org.snakeyaml.engine.v2.api.Load", "dev.agentmesh.agent.AgentInstaller",
                "org.slf4j.simple.SimpleLogger"}) {
            try {
                Class.forName(hidden);
                System.out.println("VISIBLE " + hidden);
            } catch (ClassNotFoundException e) {
                System.out.println("HIDDEN " + hidden);
            }
        }
        Tools tools = new Tools();
        try (AgentContext.Scope s = AgentContext.enter("agent-r2")) {
            Outcomes.attempt("agent-r2", "ring2", tools::ring2);
            Outcomes.attempt("agent-r2", "ring1", tools::ring1);
        }
    }
}
