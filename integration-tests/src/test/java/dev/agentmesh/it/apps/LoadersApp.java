package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * {@code @Ring} tools that reach the JVM after start-up, by the ways applications load code: a child-first loader
 * holding its own copy of the API (a plugin), {@code Lookup.defineClass}, a class the application's own ByteBuddy
 * makes with {@code @Ring} on a method, and a subclass of a governed class it makes. Each is called as
 * {@code agent-r3}, then as {@code agent-r0}; one line per attempt. Run with the test classes, the API jar and the
 * host's ByteBuddy jar on the class path; {@code args[0]} is the API jar and {@code args[1]} the test classes, for
 * the plugin's loader.
 */
public final class LoadersApp {

    private LoadersApp() {
    }

    public static void main(String[] args) throws Exception {
        URL apiJar = java.nio.file.Path.of(args[0]).toUri().toURL();
        URL testClasses = java.nio.file.Path.of(args[1]).toUri().toURL();
        ChildFirst plugins = new ChildFirst(new URL[] {testClasses, apiJar}, LoadersApp.class.getClassLoader());
        Class<?> pluginType = plugins.loadClass("dev.agentmesh.it.apps.plugin.PluginTools");
        Object plugin = pluginType.getDeclaredConstructor().newInstance();
        System.out.println("plugin loader " + (pluginType.getClassLoader() == plugins ? "child-first" : "other")
                + ", its API copy " + pluginType.getMethod("apiLoader").invoke(null));
        Method wipe = pluginType.getMethod("wipe");
        Method wipeAs = pluginType.getMethod("wipeAs", String.class);

        byte[] laterBytes;
        try (java.io.InputStream in = LoadersApp.class.getResourceAsStream("LoadersApp$DefinedLater.class")) {
            laterBytes = in.readAllBytes();
        }
        Class<?> defined = MethodHandles.lookup().defineClass(laterBytes);
        Object later = defined.getDeclaredConstructor().newInstance();

        Class<?> generated = new ByteBuddy().subclass(Object.class)
                .name("dev.agentmesh.it.apps.GeneratedTool")
                .defineMethod("purge", String.class, java.lang.reflect.Modifier.PUBLIC)
                .intercept(FixedValue.value("purged"))
                .annotateMethod(AnnotationDescription.Builder.ofType(Ring.class).define("value", 0).build())
                .make().load(LoadersApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        Object generatedTool = generated.getDeclaredConstructor().newInstance();

        Class<? extends Tools> subclass = new ByteBuddy().subclass(Tools.class)
                .name("dev.agentmesh.it.apps.GeneratedSubTools")
                .method(ElementMatchers.named("ring0")).intercept(FixedValue.value("overridden"))
                .make().load(LoadersApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        Tools subTools = subclass.getDeclaredConstructor().newInstance();

        for (String agent : new String[] {"agent-r3", "agent-r0"}) {
            try (AgentContext.Scope scope = AgentContext.enter(agent)) {
                Outcomes.attempt(agent, "child-first-plugin", () -> wipe.invoke(plugin));
                Outcomes.attempt(agent, "lookup-defineClass", invoke(defined.getMethod("erase"), later));
                Outcomes.attempt(agent, "host-bytebuddy-ring", invoke(generated.getMethod("purge"), generatedTool));
                Outcomes.attempt(agent, "host-bytebuddy-subclass", subTools::ring0);
            }
        }
        // The plugin's own copy of AgentContext names no agent the agent sees: entering ring 0 through it, inside
        // agent-r3's scope, leaves agent-r3 acting.
        try (AgentContext.Scope scope = AgentContext.enter("agent-r3")) {
            Outcomes.attempt("agent-r3", "plugin-enters-agent-r0", () -> wipeAs.invoke(plugin, "agent-r0"));
        }
    }

    private static Callable<Object> invoke(Method m, Object target) {
        return () -> m.invoke(target);
    }

    /** Loads its own classes (and its copy of the API) before asking its parent, as plugin systems do. */
    static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.agentmesh.it.apps.plugin.") && !name.startsWith("dev.agentmesh.api.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /**
     * Compiled with the tests, but defined only through {@code Lookup.defineClass}, from its class file read as a
     * resource: nothing refers to it by name, so the application's loader never loads it.
     */
    public static final class DefinedLater {
        @Ring(0)
        public String erase() {
            return "erased";
        }
    }
}
