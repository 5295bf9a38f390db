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
    private volatile Thread opener;

    /** The agent's entry point, in the application's loader: {@code dev.agentmesh.javaagent.AgentMain} and kin. */
    private static final String OWN_ENTRY = "dev.agentmesh.javaagent.";

    /** The agent's exit code when it cannot start (as {@code AgentInstaller}'s). */
    private static final int START_FAILED = 70;

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
     * Whether a class the weavers could touch is loaded already (by another agent's premain, or a custom system
     * class loader): the gate cannot hold back a class already loaded, so the agent must then weave before
     * {@code main}. Reads the class files of the application's loaded classes (at JVM start, usually none but the
     * agents' own entry points); one that cannot be read counts as weavable.
     *
     * @param inst the JVM's instrumentation
     * @param candidates which classes the weavers could touch
     * @param agentLoader the agent's own loader
     * @return the first such class's name, or {@code null}
     */
    public static String weavableClassLoaded(Instrumentation inst, WeavingCandidates candidates,
            ClassLoader agentLoader) {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader l = c.getClassLoader();
            String internal = c.getName().replace('.', '/');
            if (l == null || l == platform || AgentOwn.isAgentLoader(l, agentLoader) || isJdk(internal)
                    || c.isArray() || c.isPrimitive() || c.getName().startsWith(OWN_ENTRY)) {
                continue;
            }
            try (java.io.InputStream in = l.getResourceAsStream(internal + ".class")) {
                if (in == null || candidates.mayWeave(l, internal, in.readAllBytes())) {
                    return c.getName();
                }
            } catch (java.io.IOException | RuntimeException e) {
                return c.getName();
            }
        }
        return null;
    }

    /**
     * The thread that will open the gate: were it to load a class the gate holds back, it would wait for itself.
     *
     * @param thread the agent's start-up thread
     */
    public void openedBy(Thread thread) {
        opener = thread;
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
            ClassLoader loader = p.loader == null ? null : p.loader.get();
            if (p.loader != null && loader == null) {
                continue;
            }
            try {
                out.add(Class.forName(p.name.replace('/', '.'), false, loader));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // Its definition failed (nothing was loaded that could run), or the application's loader will not
                // say (closed, or broken): the class is skipped, not the start.
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
        if (className == null || classBeingRedefined != null
                || (loader != null && AgentOwn.isAgentLoader(loader, agentLoader))) {
            // Redefined: loaded before the gate, and retransformed once it opens.
            return false;
        }
        if (loader != null && !isJdk(className) && candidates.mayWeave(loader, className, bytes)) {
            if (Thread.currentThread() == opener) {
                // The start-up would wait for itself. Loading the class unwoven would let its methods run
                // ungoverned: stop instead, loudly.
                System.err.println("agentmesh: the agent failed to start: its start-up loads "
                        + className.replace('/', '.') + ", which it must weave first");
                System.err.flush();
                Runtime.getRuntime().halt(START_FAILED);
            }
            return true;
        }
        // Any of these may be a thread class, JDK ones included. Not parsed to see: that would load a class-file
        // reader before the application's main.
        passed.add(new Passed(loader == null ? null : new WeakReference<>(loader), className));
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

    /**
     * @param name a class's binary ({@code java.lang.String}) or internal ({@code java/lang/String}) name
     * @return whether it is the JDK's: never woven, never waited for, and never carrying {@code @Ring}
     */
    static boolean isJdk(String name) {
        return isUnder(name, "java") || isUnder(name, "jdk") || isUnder(name, "sun") || name.startsWith("com.sun.")
                || name.startsWith("com/sun/");
    }

    private static boolean isUnder(String name, String top) {
        int n = top.length();
        return name.length() > n && name.startsWith(top) && (name.charAt(n) == '.' || name.charAt(n) == '/');
    }

    /** A class let through; {@code loader} is {@code null} for the bootstrap loader. */
    private record Passed(WeakReference<ClassLoader> loader, String name) {
    }
}
