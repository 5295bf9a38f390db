package dev.agentmesh.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Defines the AgentMesh API and the bridge woven code calls in the bootstrap class loader, so one copy is visible
 * to every class loader (including isolated plugin loaders) and shared by the application and the agent.
 *
 * <p>The classes are injected one by one rather than by appending the jar to the bootstrap class path: appending
 * makes the JVM print a warning and turn class-data sharing off for the application's classes.
 */
final class BootstrapInjector {

    /** Top-level packages of the agent jar that belong in the bootstrap loader. */
    static final String[] PACKAGES = {"dev/agentmesh/api/", "dev/agentmesh/bootstrap/"};

    /** A bridge class, named only after injection. */
    static final String BRIDGE_CLASS = "dev.agentmesh.bootstrap.Governance";

    private BootstrapInjector() {
    }

    /**
     * @param inst the JVM's instrumentation, used to reach the JDK's class-definition hook
     * @param agentJar the agent jar holding the classes
     * @throws IOException if the jar cannot be read
     */
    static void inject(Instrumentation inst, File agentJar) throws IOException {
        Map<String, byte[]> pending = readClasses(agentJar);
        ClassInjector injector = ClassInjector.UsingUnsafe.Factory.resolve(inst).make(null, null);
        // A class can only be defined once its supertypes are; the set is tiny, so retry until all are in.
        while (!pending.isEmpty()) {
            List<String> defined = new ArrayList<>();
            RuntimeException last = null;
            for (Map.Entry<String, byte[]> e : pending.entrySet()) {
                try {
                    injector.injectRaw(Map.of(e.getKey(), e.getValue()));
                    defined.add(e.getKey());
                } catch (IllegalStateException notYet) {
                    // ByteBuddy wraps the NoClassDefFoundError of a supertype not defined yet.
                    last = notYet;
                }
            }
            if (defined.isEmpty()) {
                throw new IllegalStateException("cannot define " + pending.keySet() + " in the bootstrap loader",
                        last);
            }
            defined.forEach(pending::remove);
        }
    }

    /**
     * @param inst the JVM's instrumentation
     * @return a description of an API class some loader other than the bootstrap loader already defined, or
     *     {@code null} if there is none (always so at JVM start)
     */
    static String apiLoadedOutsideBootstrap(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().startsWith("dev.agentmesh.api.") && c.getClassLoader() != null) {
                return c.getName() + " (from " + c.getClassLoader() + ")";
            }
        }
        return null;
    }

    private static Map<String, byte[]> readClasses(File agentJar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(agentJar, false)) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.endsWith(".class") && isBootstrapPackage(name)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                                in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    private static boolean isBootstrapPackage(String entryName) {
        for (String p : PACKAGES) {
            if (entryName.startsWith(p) && entryName.indexOf('/', p.length()) < 0) {
                return true;
            }
        }
        return false;
    }
}
