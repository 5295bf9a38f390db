package dev.agentmesh.agent.modules;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import java.lang.invoke.MethodHandles;
import java.security.ProtectionDomain;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.MethodCall;

/**
 * ByteBuddy's {@code AgentBuilder} subclasses its class file transformer at run time, to receive the
 * {@code Module} argument, and loads that subclass in a child class loader of its own. That child's unnamed module
 * cannot see the engine's packages: the engine module exports nothing. Defining the very same subclass first, in
 * the engine's own loader and package (so in the engine module), makes ByteBuddy's parent-first child loader find
 * it there instead. Must run before the first {@code AgentBuilder} is installed.
 */
public final class ByteBuddyModuleSupport {

    private static final String TRANSFORMER = "net.bytebuddy.agent.builder.AgentBuilder$Default$ExecutingTransformer";

    private ByteBuddyModuleSupport() {
    }

    /** Defines {@code ExecutingTransformer$ByteBuddy$ModuleSupport} in the engine module, if not defined yet. */
    public static void prepare() {
        try {
            ClassLoader loader = ByteBuddyModuleSupport.class.getClassLoader();
            Class<?> transformer = Class.forName(TRANSFORMER, false, loader);
            String name = transformer.getName() + "$ByteBuddy$ModuleSupport";
            try {
                Class.forName(name, false, loader);
                return;
            } catch (ClassNotFoundException notYet) {
                // define it below
            }
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(transformer, MethodHandles.lookup());
            new ByteBuddy().with(TypeValidation.DISABLED)
                    .subclass(transformer)
                    .name(name)
                    .method(named("transform").and(takesArgument(0, Module.class)))
                    .intercept(MethodCall.invoke(transformer.getDeclaredMethod("transform", Object.class,
                            ClassLoader.class, String.class, Class.class, ProtectionDomain.class, byte[].class))
                            .onSuper().withAllArguments())
                    .make()
                    .load(loader, ClassLoadingStrategy.UsingLookup.of(lookup));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot prepare ByteBuddy for the engine module: " + e, e);
        }
    }
}
