package dev.agentmesh.agent;

import dev.agentmesh.agent.config.AgentConfig;
import dev.agentmesh.agent.config.ConfigException;
import dev.agentmesh.agent.killswitch.StateFile;
import dev.agentmesh.agent.config.ConfigResolver;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.policy.PolicyException;
import dev.agentmesh.agent.policy.PolicyLoader;
import dev.agentmesh.agent.audit.WriterLock;
import dev.agentmesh.agent.propagation.PropagationTargets;
import dev.agentmesh.agent.session.ApiStartup;
import dev.agentmesh.agent.weave.StartupGate;
import dev.agentmesh.agent.weave.WeavingCandidates;
import dev.agentmesh.audit.checkpoint.CheckpointFileException;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * First step of the agent inside its isolated class loader: read the options and the policy, then put the API
 * and bridge in the bootstrap loader, then start the {@link AgentRuntime}.
 *
 * <p>Started with the JVM, it does only that much before the application's {@code main}, then registers the
 * {@link StartupGate} and finishes on a thread of its own ({@code agentmesh-start}): the application starts about
 * two seconds sooner, and nothing governed runs before the agent is ready, because the gate holds back the classes
 * it weaves and the API holds back {@code AgentContext.enter} and {@code Hypervisor.get()}.
 *
 * <p>A bad option or policy stops the JVM with one line naming the file, the line and the problem: the application
 * must never run ungoverned because its policy failed to load. This class must not refer to the API or bridge
 * types, which do not exist until {@link BootstrapInjector} has run; {@link AgentRuntime} may.
 */
public final class AgentInstaller {

    /** Exit code when options or the policy are malformed (sysexits' EX_CONFIG). */
    public static final int EXIT_CONFIG = 78;

    /** Exit code when the agent fails to start for another reason (sysexits' EX_SOFTWARE), as at JVM start. */
    public static final int EXIT_START_FAILED = 70;

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
        try {
            config = ConfigResolver.forThisJvm(agentArgs).resolve();
        } catch (ConfigException e) {
            throw stop("option error: " + e.getMessage(), attachedLate);
        }
        // At JVM start the policy and the key are read on a thread of their own, beside the steps below, which
        // need neither: SnakeYAML's first use alone takes tens of milliseconds before main. Attached late, they are
        // read first, so that a bad policy leaves the running application exactly as it was.
        FutureTask<ReadFiles> reading = new FutureTask<>(new java.util.concurrent.Callable<ReadFiles>() {
            @Override
            public ReadFiles call() throws CheckpointFileException {
                return ReadFiles.of(config);
            }
        });
        if (attachedLate) {
            reading.run();
        } else {
            new Thread(reading, "agentmesh-policy").start();
        }
        ReadFiles files = attachedLate ? await(reading, true) : null;
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
            // A bad policy is reported first, as when it was read first.
            await(reading, attachedLate);
            throw stop(e.getMessage(), attachedLate);
        } catch (IOException e) {
            // An unwritable directory: the trail will fail to open, and every governed call will be denied.
        }
        BootstrapInjector.inject(inst, agentJar);
        // The engine is a named module: it must read the bootstrap loader's unnamed module, where the API and the
        // bridge now are, before any of its classes links against them.
        Module bootUnnamed = Class.forName(BootstrapInjector.BRIDGE_CLASS, false, null).getModule();
        AgentInstaller.class.getModule().addReads(bootUnnamed);
        if (files == null) {
            files = await(reading, attachedLate);
        }
        Policy policy = files.policy();
        CheckpointSigner signer = files.signer();
        WeavingCandidates candidates = new WeavingCandidates(policy.tools());
        if (attachedLate || config.testing()
                || StartupGate.weavableClassLoaded(inst, candidates, agentLoader) != null) {
            // Attached late, the application is running anyway; in test mode the test bridge must be there before
            // the first test; and a class the weavers could touch that is loaded already (by an agent started
            // before this one) cannot be held back by the gate. All three start in full here.
            try {
                AgentRuntime.start(inst, config, policy, signer, agentLoader, null);
            } catch (StateFile.MalformedStateException e) {
                throw stop("state error: " + e.getMessage(), attachedLate);
            }
            return;
        }
        // At JVM start, only what must come before the application's main runs here. The rest (ByteBuddy, the
        // queue, the weavers) takes one to two seconds and runs beside main, while the gate holds back every class
        // the weavers could touch and the API holds back agents and the hypervisor. It starts only now, not beside
        // the reading of the policy: on two cores the two compete, and main came 100 ms later.
        PropagationTargets.preload();
        StartupGate gate = StartupGate.install(inst, candidates, agentLoader);
        ApiStartup.begin();
        Thread starter = new Thread(() -> {
            try {
                AgentRuntime.start(inst, config, policy, signer, agentLoader, gate);
            } catch (Throwable e) {
                failedInBackground(e);
            }
        }, "agentmesh-start");
        // Not a daemon: an application whose main ends at once still leaves a trail that finished opening. Its
        // context loader is the agent's: a library looking up services through it must not reach application
        // classes, which the gate may hold back until this very thread opens it.
        starter.setContextClassLoader(agentLoader);
        gate.openedBy(starter);
        starter.start();
    }

    /**
     * On the start-up thread. A failure there is the same failure as before {@code main}, only later: the JVM stops,
     * with the same one line and exit code, rather than run on with governed classes waiting for ever.
     */
    private static void failedInBackground(Throwable e) {
        if (shuttingDown()) {
            // The application exited (System.exit) before the agent finished starting, which then failed to
            // register a shutdown hook: the JVM keeps the application's exit code, and runs its hooks.
            return;
        }
        if (e instanceof StateFile.MalformedStateException) {
            stop("state error: " + e.getMessage(), false);
        }
        System.err.println("agentmesh: the agent failed to start: " + e);
        if (Boolean.getBoolean("agentmesh.verbose")) {
            e.printStackTrace();
        }
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_START_FAILED);
    }

    /** @return whether the JVM is shutting down: the JDK offers no other way to ask */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { }, "agentmesh-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** The policy and the checkpoint key, read from their files. */
    private record ReadFiles(Policy policy, CheckpointSigner signer) {
        static ReadFiles of(AgentConfig config) throws CheckpointFileException {
            Policy policy = config.policy() == null ? Policy.defaults() : PolicyLoader.load(config.policy());
            CheckpointSigner signer = config.checkpoints().keyFile() == null ? null
                    : KeyFiles.readSigner(config.checkpoints().keyFile(), config.checkpoints().keyName());
            return new ReadFiles(policy, signer);
        }
    }

    /** What reading the files gave, or the one-line stop their mistake calls for. */
    private static ReadFiles await(FutureTask<ReadFiles> reading, boolean attachedLate) throws Exception {
        try {
            return reading.get();
        } catch (ExecutionException failed) {
            Throwable e = failed.getCause();
            if (e instanceof PolicyException) {
                throw stop("policy error: " + e.getMessage(), attachedLate);
            }
            if (e instanceof CheckpointFileException) {
                throw stop("checkpoint key error: " + e.getMessage(), attachedLate);
            }
            if (e instanceof Exception) {
                throw (Exception) e;
            }
            throw (Error) e;
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
