package dev.agentmesh.agent;

import dev.agentmesh.agent.config.AgentConfig;
import dev.agentmesh.agent.config.ConfigException;
import dev.agentmesh.agent.killswitch.StateFile;
import dev.agentmesh.agent.config.ConfigResolver;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.policy.PolicyException;
import dev.agentmesh.agent.policy.PolicyLoader;
import dev.agentmesh.agent.audit.WriterLock;
import dev.agentmesh.audit.checkpoint.CheckpointFileException;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.io.File;
import java.io.IOException;
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

    private static WriterLock writerLock;

    private AgentInstaller() {
    }

    /**
     * Called reflectively by {@code dev.agentmesh.javaagent.AgentMain}.
     *
     * @param inst the JVM's instrumentation
     * @param agentArgs the {@code -javaagent} options
     * @param agentJar the agent jar
     * @param agentLoader the loader this class was loaded by
     * @param attachedLate whether the agent was attached to a running JVM rather than started with it
     * @throws Exception if the agent cannot start; the caller stops the JVM, or fails the attach
     */
    public static void install(Instrumentation inst, String agentArgs, File agentJar, ClassLoader agentLoader,
            boolean attachedLate) throws Exception {
        AgentConfig config;
        Policy policy;
        CheckpointSigner signer;
        try {
            config = ConfigResolver.forThisJvm(agentArgs).resolve();
            policy = config.policy() == null ? Policy.defaults() : PolicyLoader.load(config.policy());
            signer = config.checkpoints().keyFile() == null ? null
                    : KeyFiles.readSigner(config.checkpoints().keyFile(), config.checkpoints().keyName());
        } catch (CheckpointFileException e) {
            throw stop("checkpoint key error: " + e.getMessage(), attachedLate);
        } catch (PolicyException e) {
            throw stop("policy error: " + e.getMessage(), attachedLate);
        } catch (ConfigException e) {
            throw stop("option error: " + e.getMessage(), attachedLate);
        }
        String loadedElsewhere = BootstrapInjector.apiLoadedOutsideBootstrap(inst);
        if (loadedElsewhere != null) {
            // The application holds its own copy of the API: its AgentContext and exceptions would not be the
            // agent's, so identities would be lost. Refuse rather than govern wrongly.
            throw stop("cannot govern this JVM: the application loaded " + loadedElsewhere
                    + " before the agent started; start the JVM with -javaagent instead", attachedLate);
        }
        try {
            // Held for the JVM's life, in a static so it is never collected; the OS releases it at exit.
            writerLock = WriterLock.acquire(config.auditDir());
        } catch (WriterLock.HeldElsewhereException e) {
            throw stop(e.getMessage(), attachedLate);
        } catch (IOException e) {
            // An unwritable directory: the trail will fail to open, and every governed call will be denied.
        }
        BootstrapInjector.inject(inst, agentJar);
        // The engine is a named module: it must read the bootstrap loader's unnamed module, where the API and the
        // bridge now are, before any of its classes links against them.
        Module bootUnnamed = Class.forName(BootstrapInjector.BRIDGE_CLASS, false, null).getModule();
        AgentInstaller.class.getModule().addReads(bootUnnamed);
        try {
            AgentRuntime.start(inst, config, policy, signer, agentLoader);
        } catch (StateFile.MalformedStateException e) {
            throw stop("state error: " + e.getMessage(), attachedLate);
        }
    }

    /**
     * At JVM start: one line, then exit before the application runs. Attached to a running JVM: fail the attach
     * and leave the application as it was.
     */
    private static RuntimeException stop(String message, boolean attachedLate) {
        System.err.println("agentmesh: " + message);
        System.err.flush();
        if (attachedLate) {
            return new IllegalStateException("agentmesh: " + message);
        }
        Runtime.getRuntime().halt(EXIT_CONFIG);
        return new IllegalStateException("unreachable");
    }
}
