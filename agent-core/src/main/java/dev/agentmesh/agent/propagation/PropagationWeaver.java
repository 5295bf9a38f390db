package dev.agentmesh.agent.propagation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.agentmesh.agent.weave.AgentOwn;
import dev.agentmesh.bootstrap.Propagation;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weaves {@code java.util.concurrent} and {@code Thread} so the agent's identity follows work to the thread that does
 * it, as the OpenTelemetry agent carries its context: executors ({@code ThreadPoolExecutor},
 * {@code ScheduledThreadPoolExecutor}, {@code ForkJoinPool}, Java 21's {@code ThreadPerTaskExecutor}), hence
 * {@code ExecutorService.submit}/{@code execute} and {@code CompletableFuture.*Async}; fork-join tasks handed to a
 * pool or forked ({@code RecursiveTask.fork()}), which are not wrapped but remembered until they run; threads started
 * in a scope; virtual threads. Pool workers never inherit an identity, so a pooled thread returns to "no agent" after
 * a task.
 *
 * <p>All advice is inline (no new fields or methods), so classes already loaded are retransformed.
 */
public final class PropagationWeaver {

    private static final Logger LOG = LoggerFactory.getLogger(PropagationWeaver.class);

    private PropagationWeaver() {
    }

    /**
     * Installs the weaving and retransforms the classes it weaves that are loaded already.
     *
     * @param inst the JVM's instrumentation
     * @param agentLoader the agent's own loader, whose classes are never woven
     * @return the installed transformer
     */
    public static ResettableClassFileTransformer install(Instrumentation inst, ClassLoader agentLoader) {
        // Retransform only the loaded classes this weaves, rather than match every loaded class: start-up.
        return builder(inst, agentLoader)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(loadedTargets(inst)))
                .installOn(inst);
    }

    /**
     * @param inst the JVM's instrumentation
     * @param agentLoader the agent's own loader, whose classes are never woven
     * @return the weaving, not installed; it only inlines advice, so it may retransform
     */
    public static AgentBuilder builder(Instrumentation inst, ClassLoader agentLoader) {
        ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(agentLoader);
        Advice runnableTask = Advice.to(RunnableTaskAdvice.class, locator);
        Advice callableTask = Advice.to(CallableTaskAdvice.class, locator);
        Advice forkJoinRunnable = Advice.to(ForkJoinRunnableAdvice.class, locator);
        Advice forkJoinTask = Advice.to(ForkJoinTaskAdvice.class, locator);
        Advice forkJoinFork = Advice.to(ForkJoinForkAdvice.class, locator);
        Advice forkJoinExec = Advice.to(ForkJoinExecAdvice.class, locator);
        Advice threadStart = Advice.to(ThreadStartAdvice.class, locator);
        Advice threadRun = Advice.to(ThreadRunAdvice.class, locator);
        Advice virtualThread = Advice.to(VirtualThreadAdvice.class, locator);
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                // Loaded classes are described by reflection: runtime-made ones (proxies) have no class file to read.
                .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
                .with(new Failures())
                // Woven JDK code must be able to read the bootstrap bridge (in the boot loader's unnamed module).
                .with(AgentBuilder.Listener.ModuleReadEdgeCompleting.of(inst, false, Propagation.class))
                .ignore(AgentOwn.types().or(isSynthetic()).or(nameStartsWith("jdk.internal.reflect."))
                        .or(nameStartsWith("sun.reflect.")))
                .or((TypeDescription type) -> false, loader -> AgentOwn.isAgentLoader(loader, agentLoader))
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform((b, t, l, m, d) -> b.visit(runnableTask.on(named("execute")
                        .and(takesArguments(Runnable.class)))))
                .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
                .transform((b, t, l, m, d) -> b
                        .visit(runnableTask.on(named("schedule").or(named("scheduleAtFixedRate"))
                                .or(named("scheduleWithFixedDelay")).and(takesArgument(0, Runnable.class))))
                        .visit(callableTask.on(named("schedule").and(takesArgument(0, Callable.class)))))
                .type(named("java.util.concurrent.ForkJoinPool"))
                .transform((b, t, l, m, d) -> b
                        .visit(forkJoinRunnable.on(named("execute").or(named("submit"))
                                .and(takesArgument(0, Runnable.class))
                                .and(notForkJoinTaskParameter())))
                        .visit(callableTask.on(named("submit").and(takesArgument(0, Callable.class))))
                        // Not the public externalSubmit/lazySubmit (Java 19+): virtual threads' scheduling uses
                        // them, and their continuations must not be captured.
                        .visit(forkJoinTask.on(named("execute").or(named("submit")).or(named("invoke"))
                                .and(takesArguments(1)).and(takesArgument(0, ForkJoinTask.class)))))
                // A fork-join task is never wrapped (callers join it): fork() remembers the forker for it, and its
                // body runs as them. doExec() is final and package-private; int on Java 17, void later.
                .type(named("java.util.concurrent.ForkJoinTask"))
                .transform((b, t, l, m, d) -> b
                        .visit(forkJoinFork.on(named("fork").and(takesNoArguments())))
                        .visit(forkJoinExec.on(named("doExec").and(takesNoArguments()))))
                .type(named("java.util.concurrent.ThreadPerTaskExecutor"))
                .transform((b, t, l, m, d) -> b
                        .visit(runnableTask.on(named("execute").or(named("submit"))
                                .and(takesArgument(0, Runnable.class))))
                        .visit(callableTask.on(named("submit").and(takesArgument(0, Callable.class)))))
                .type(named("java.lang.Thread"))
                .transform((b, t, l, m, d) -> b.visit(threadStart.on(named("start").and(takesNoArguments()))))
                .type(isSubTypeOf(Thread.class))
                .transform((b, t, l, m, d) -> b.visit(threadRun.on(named("run").and(takesNoArguments()))))
                .type(named("java.lang.VirtualThread"))
                .transform((b, t, l, m, d) -> b.visit(virtualThread.on(isConstructor()
                        .and(takesArgument(3, Runnable.class)))));
    }

    /**
     * The classes woven here that are loaded already: the executors, {@code ForkJoinTask}, and {@code Thread} and
     * its subclasses.
     */
    public static java.util.Set<Class<?>> loadedTargets(Instrumentation inst) {
        java.util.Set<Class<?>> targets = new java.util.HashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (PropagationTargets.isTarget(c) && inst.isModifiableClass(c)) {
                targets.add(c);
            }
        }
        return targets;
    }


    /** {@code execute(Runnable)}, not {@code execute(ForkJoinTask)}: the latter keeps its task unwrapped. */
    private static ElementMatcher.Junction<net.bytebuddy.description.method.MethodDescription>
            notForkJoinTaskParameter() {
        return net.bytebuddy.matcher.ElementMatchers.not(takesArgument(0, ForkJoinTask.class));
    }

    /** A class that cannot be woven keeps working without propagation; say so once per class. */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                Throwable throwable) {
            if (throwable instanceof net.bytebuddy.pool.TypePool.Resolution.NoSuchTypeException) {
                // A type the pool cannot read (made at run time): not a thread or executor we weave.
                LOG.debug("skipped {}: {}", typeName, throwable.toString());
                return;
            }
            LOG.warn("could not weave {} for identity propagation; work it hands to other threads runs without "
                    + "the caller's agent: {}", typeName, throwable.toString());
        }
    }
}
