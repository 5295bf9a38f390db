package dev.agentmesh.agent.weave;

import dev.agentmesh.agent.policy.ToolRules;
import dev.agentmesh.bootstrap.Governance;
import dev.agentmesh.bootstrap.SagaWeaving;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.WeakHashMap;
import dev.agentmesh.agent.frameworks.FrameworkWeaving;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Weaves {@link RingAdvice} into every {@code @Ring} method, every override of one that inherits its ring
 * ({@link RingInheritance}), every lambda body implementing one ({@link LambdaBodies}), and every method the policy's {@code tools:} section names by pattern or annotation
 * ({@link PolicyTools}), and {@link OpensSagaAdvice} and {@link SagaStepAdvice}
 * into every {@code @OpensSaga} and {@code @SagaStep} method, in classes loaded from now on and in classes already
 * loaded (retransformation). Inline advice adds no fields or methods, so retransformation is allowed. One transformer
 * does both, so each class is matched once.
 */
public final class RingWeaver {

    private static final Logger LOG = LoggerFactory.getLogger(RingWeaver.class);

    private RingWeaver() {
    }

    /**
     * @param inst the JVM's instrumentation
     * @param registry gives woven methods their ids
     * @param sagaMethods gives woven saga methods their ids
     * @param agentLoader the agent's own loader, whose classes are never woven
     * @param toolRules the policy's {@code tools:} section: methods it names by pattern or annotation are woven too
     * @param interfaces the rings inherited, shared with {@link MethodReferenceBridges}
     * @return the installed transformer
     */
    public static ResettableClassFileTransformer install(Instrumentation inst, MethodRegistry registry,
            SagaMethods sagaMethods, ClassLoader agentLoader, ToolRules toolRules, GovernedInterfaces interfaces) {
        return builder(inst, registry, sagaMethods, agentLoader, toolRules, interfaces).installOn(inst);
    }

    /**
     * @param inst the JVM's instrumentation
     * @param registry gives woven methods their ids
     * @param sagaMethods gives woven saga methods their ids
     * @param agentLoader the agent's own loader, whose classes are never woven
     * @param toolRules the policy's {@code tools:} section: methods it names by pattern or annotation are woven too
     * @param interfaces the rings inherited, shared with {@link MethodReferenceBridges}
     * @return the weaving, not installed; {@link WeavingCandidates} names every class it may weave
     */
    public static AgentBuilder builder(Instrumentation inst, MethodRegistry registry, SagaMethods sagaMethods,
            ClassLoader agentLoader, ToolRules toolRules, GovernedInterfaces interfaces) {
        ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(agentLoader);
        RingInheritance inheritance = interfaces.inheritance();
        LambdaBodies lambdas = new LambdaBodies(interfaces);
        ReferenceTargets referenceTargets = interfaces.referenceTargets();
        PolicyTools tools = new PolicyTools(toolRules, inheritance, lambdas, referenceTargets);
        Advice.WithCustomMapping ringMapping = Advice.withCustomMapping()
                .bind(GovernedMethodId.class, new MethodIdMapping(registry, tools));
        Advice anyArity = ringMapping.to(RingAdvice.class, agentClasses);
        Advice[] byArity = {
            ringMapping.to(RingAdvice.NoArguments.class, RingAdvice.class, agentClasses),
            ringMapping.to(RingAdvice.OneArgument.class, RingAdvice.class, agentClasses),
            ringMapping.to(RingAdvice.TwoArguments.class, RingAdvice.class, agentClasses),
            ringMapping.to(RingAdvice.ThreeArguments.class, RingAdvice.class, agentClasses),
        };
        ElementMatcher.Junction<MethodDescription> governed = RingAnnotation.governedMethods().or(tools.methods())
                .or(inheritance.methods()).or(lambdas.methods()).or(referenceTargets.methods());
        Advice.WithCustomMapping sagaMapping = Advice.withCustomMapping()
                .bind(SagaMethodId.class, new SagaMethodMapping(sagaMethods));
        Advice opensSaga = sagaMapping.to(OpensSagaAdvice.class, agentClasses);
        Advice sagaStep = sagaMapping.to(SagaStepAdvice.class, agentClasses);
        AgentBuilder weaving = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(new FailureLogger())
                .with(lambdas)
                // Woven code in a named module must be able to read the bootstrap bridges.
                .with(AgentBuilder.Listener.ModuleReadEdgeCompleting.of(inst, false, Governance.class,
                        SagaWeaving.class))
                .ignore(nameStartsWith("java.").or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun.")).or(AgentOwn.types()).or(isSynthetic()))
                .or(any(), isBootstrapClassLoader().or(loader -> AgentOwn.isAgentLoader(loader, agentLoader)))
                .type(governedTypes(RingAnnotation.governedTypes().or(SagaAnnotations.sagaTypes())
                        .or(tools.types()).or(referenceTargets.types()), inheritance, lambdas))
                .transform((builder, type, loader, module, domain) -> {
                    // The parameter count first: cheap, it rules out most methods before any annotation is read.
                    DynamicType.Builder<?> woven = builder;
                    for (int arity = 0; arity < byArity.length; arity++) {
                        woven = woven.visit(byArity[arity].on(takesArguments(arity).and(governed)));
                    }
                    return woven.visit(anyArity.on(takesMoreArgumentsThan(byArity.length - 1).and(governed)))
                            .visit(opensSaga.on(SagaAnnotations.opensSaga()))
                            .visit(sagaStep.on(SagaAnnotations.steps()));
                });
        return FrameworkWeaving.addTo(weaving, agentLoader, registry.frameworkToken());
    }

    /**
     * Types the matcher names, and types that may inherit a ring, in loaders that can see {@code @Ring}. Inheritance
     * is asked last: it reads supertypes.
     */
    private static AgentBuilder.RawMatcher governedTypes(ElementMatcher<TypeDescription> declaring,
            RingInheritance inheritance, LambdaBodies lambdas) {
        SeesRingAnnotation seesRing = new SeesRingAnnotation();
        return (type, loader, module, redefined, domain) -> seesRing.matches(loader)
                && (declaring.matches(type) || lambdas.hasBodies(type) || inheritance.hasGovernedSupertype(type,
                        loader));
    }

    /** Matches a method with more than {@code arity} parameters. */
    private static ElementMatcher.Junction<MethodDescription> takesMoreArgumentsThan(int arity) {
        return new ElementMatcher.Junction.AbstractBase<MethodDescription>() {
            @Override
            public boolean matches(MethodDescription method) {
                return method.getParameters().size() > arity;
            }
        };
    }

    /**
     * Skips class loaders that cannot see {@code dev.agentmesh.api.Ring}: their classes cannot carry it. Since the
     * agent puts the API on the bootstrap class path this rarely skips anything, but it keeps an isolated loader
     * with no parent chain from paying for type matching. Cached per loader.
     */
    static final class SeesRingAnnotation implements ElementMatcher<ClassLoader> {
        private final Map<ClassLoader, Boolean> seen = new WeakHashMap<>();

        @Override
        public synchronized boolean matches(ClassLoader loader) {
            if (loader == null) {
                return true;
            }
            return seen.computeIfAbsent(loader, l -> {
                try {
                    Class.forName(RingAnnotation.NAME, false, l);
                    return true;
                } catch (ClassNotFoundException | LinkageError e) {
                    return false;
                }
            });
        }
    }

    /** Weaving errors never reach the host application; they are logged with the class that failed. */
    static final class FailureLogger extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                Throwable throwable) {
            if (loaded && throwable instanceof TypePool.Resolution.NoSuchTypeException) {
                // A class generated at run time before the agent started has no class file to read; it cannot be
                // a compiled @Ring tool.
                LOG.debug("skipped {}, which has no class file: {}", typeName, throwable.toString());
                return;
            }
            LOG.error("could not weave {}; its @Ring methods are NOT governed: {}", typeName, throwable.toString());
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                boolean loaded, DynamicType dynamicType) {
            LOG.debug("woven {}", typeDescription.getName());
        }
    }
}
