package dev.agentmesh.agent;

import dev.agentmesh.agent.config.AgentConfig;
import dev.agentmesh.agent.config.ConfigException;
import dev.agentmesh.agent.config.ConfigResolver;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.policy.PolicyException;
import dev.agentmesh.agent.policy.PolicyLoader;
import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * First step of the agent inside its isolated class loader: read the options and the policy, then put the API
 * and bridge in the bootstrap loader, then start the {@link AgentRuntime}.
 *
 * <p>A bad option or policy stops the JVM with one line naming the file, the line and the problem: the application
 * must never run ungoverned because its policy failed to load. This class must not refer to the API or bridge
 * types, which do not exist until {@link BootstrapInjector} has run; {@link AgentRuntime} may.
 */
public final class AgentInstaller {

    /** Exit code when options or the policy are malformed (sysexits' EX_CONFIG). */
    public static final int EXIT_CONFIG = 78;

    private AgentInstaller() {
    }

    /**
     * Called reflectively by {@code dev.agentmesh.javaagent.AgentMain}.
     *
     * @param inst the JVM's instrumentation
     * @param agentArgs the {@code -javaagent} options
     * @param agentJar the agent jar
     * @param agentLoader the loader this class was loaded by
     * @throws Exception if the agent cannot start; the caller stops the JVM
     */
    public static void install(Instrumentation inst, String agentArgs, File agentJar, ClassLoader agentLoader)
            throws Exception {
        AgentConfig config;
        Policy policy;
        try {
            config = ConfigResolver.forThisJvm(agentArgs).resolve();
            policy = config.policy() == null ? Policy.defaults() : PolicyLoader.load(config.policy());
        } catch (PolicyException e) {
            throw stop("policy error: " + e.getMessage());
        } catch (ConfigException e) {
            throw stop("option error: " + e.getMessage());
        }
        BootstrapInjector.inject(inst, agentJar);
        AgentRuntime.start(inst, config, policy, agentLoader);
    }

    private static RuntimeException stop(String message) {
        System.err.println("agentmesh: " + message);
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CONFIG);
        return new IllegalStateException("unreachable");
    }
}
