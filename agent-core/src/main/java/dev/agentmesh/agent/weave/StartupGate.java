package dev.agentmesh.agent.weave;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one class file transformer when it starts with the JVM. It is registered before the application's
 * {@code main} runs, while the weavers are still being built in the background (ByteBuddy's first use alone takes
 * about half a second), and it keeps every class the weavers could touch from loading unwoven:
 *
 * <ul>
 *   <li>Until {@link #open}, a class that {@link WeavingCandidates} says the weaver might weave waits, inside its
 *       own loading, until the weavers are ready, and is then woven like any other. Any other class loads as it is:
 *       nothing in it is governed.</li>
 *   <li>From {@link #open} on, every class goes through the weavers, in order.</li>
 * </ul>
 *
 * <p>So no governed method can run unwoven, and an application whose start-up touches no governed class never
 * waits. The agent's own loader and the JDK's classes never wait: the background start-up loads them, and waiting
 * for it there could deadlock it.
 *
 * <p>Classes that loaded while it was closed and that the propagation weaver weaves (subclasses of {@code Thread})
 * are retransformed once it is open; {@link #passedWhileClosed} gives every class let through while closed, waiting
 * for any still being defined, so that one in flight when it opened is not missed.
 */
public final class StartupGate implements ClassFileTransformer {

    /** How long a held-back class waits between reminders on standard error that it is still waiting. */
    private static final long REMIND_SECONDS = 30;

    private final WeavingCandidates candidates;
    private final ClassLoader agentLoader;
    private final Object lock = new Object();
    /** The weavers, in order; {@code null} while closed. */
    private volatile ClassFileTransformer[] weavers;
    /** Classes let through while closed, any of which may be a thread: looked at once open. */
    private final ConcurrentLinkedQueue<Passed> passed = new ConcurrentLinkedQueue<>();

    private StartupGate(WeavingCandidates candidates, ClassLoader agentLoader) {
        this.candidates = candidates;
        this.agentLoader = agentLoader;
    }

    /**
     * Registers a closed gate, able to retransform.
     *
     * @param inst the JVM's instrumentation
     * @param candidates which classes must wait for the weavers
     * @param agentLoader the agent's own loader
     * @return the gate
     */
    public static StartupGate install(Instrumentation inst, WeavingCandidates candidates, ClassLoader agentLoader) {
        StartupGate gate = new StartupGate(candidates, agentLoader);
        inst.addTransformer(gate, true);
        return gate;
    }

    /**
     * Hands every class from now on, and every class waiting, to {@code weavers}.
     *
     * @param weavers the weavers, applied in order, each to what the previous one made
     */
    public void open(ClassFileTransformer... weavers) {
        synchronized (lock) {
            this.weavers = weavers.clone();
            lock.notifyAll();
        }
    }

    /** @return whether {@link #open} was called */
    public boolean isOpen() {
        return weavers != null;
    }

    /**
     * Call after {@link #open}: the classes let through while closed, each as the loader that was asked for it
     * finds it. Looking one up waits for it if its loading is still under way; a
     * class whose definition failed, or whose loader is gone, is left out.
     *
     * @return the classes
     */
    public List<Class<?>> passedWhileClosed() {
        List<Class<?>> out = new ArrayList<>();
        for (Passed p; (p = passed.poll()) != null; ) {
            ClassLoader loader = p.loader.get();
            if (loader == null) {
                continue;
            }
            try {
                out.add(Class.forName(p.name.replace('/', '.'), false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                // Its definition failed: nothing was loaded that could run.
            }
        }
        return out;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        ClassFileTransformer[] w = weavers;
        if (w == null) {
            if (mustWait(loader, className, classBeingRedefined, classfileBuffer)) {
                w = awaitOpen(className);
            } else if ((w = weavers) == null) {
                return null;
            }
            // Else the gate opened meanwhile, perhaps after passedWhileClosed looked: weave it here to be sure.
        }
        byte[] current = classfileBuffer;
        boolean changed = false;
        for (ClassFileTransformer t : w) {
            try {
                byte[] out = t.transform(module, loader, className, classBeingRedefined, protectionDomain, current);
                if (out != null) {
                    current = out;
                    changed = true;
                }
            } catch (Throwable e) {
                // ByteBuddy reports its own failures to the weaver's listener; this is the last guard for the host.
                System.err.println("agentmesh: could not weave " + className + ": " + e);
            }
        }
        return changed ? current : null;
    }

    private boolean mustWait(ClassLoader loader, String className, Class<?> classBeingRedefined, byte[] bytes) {
        if (loader == null || className == null || classBeingRedefined != null
                || AgentOwn.isAgentLoader(loader, agentLoader) || isJdk(className)) {
            return false;
        }
        if (candidates.mayWeave(className, bytes)) {
            return true;
        }
        // Not parsed to see if it is a thread: that would load a class-file reader before the application's main.
        passed.add(new Passed(new WeakReference<>(loader), className));
        return false;
    }

    private ClassFileTransformer[] awaitOpen(String className) {
        boolean interrupted = false;
        long start = System.nanoTime();
        long remindAt = REMIND_SECONDS;
        try {
            synchronized (lock) {
                while (weavers == null) {
                    try {
                        lock.wait(TimeUnit.SECONDS.toMillis(1));
                    } catch (InterruptedException e) {
                        // Kept for the loading thread; the class must not load unwoven.
                        interrupted = true;
                    }
                    long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                    if (weavers == null && waited >= remindAt) {
                        System.err.println("agentmesh: " + className.replace('/', '.') + " still waits for the "
                                + "agent to finish starting (" + waited + " s)");
                        remindAt += REMIND_SECONDS;
                    }
                }
                return weavers;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isJdk(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("jdk/") || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/");
    }

    private record Passed(WeakReference<ClassLoader> loader, String name) {
    }
}
