package dev.agentmesh.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the AgentMesh API and the bridge woven code calls in the bootstrap class loader, so one copy is visible
 * to every class loader (including isolated plugin loaders) and shared by the application and the agent.
 *
 * <p>The classes are injected one by one rather than by appending the jar to the bootstrap class path: appending
 * makes the JVM print a warning and turn class-data sharing off for the application's classes.
 *
 * <p>They are defined through the JDK's own {@code jdk.internal.misc.Unsafe.defineClass}, exported to the engine
 * alone for this, rather than through ByteBuddy's {@code ClassInjector}: this runs before the application's
 * {@code main}, and ByteBuddy's first use costs about half a second of class loading that the agent now pays in the
 * background instead (see {@code BackgroundStart}).
 */
final class BootstrapInjector {

    /** Top-level packages of the agent jar that belong in the bootstrap loader. */
    static final String[] PACKAGES = {"dev/agentmesh/api/", "dev/agentmesh/bootstrap/"};

    /** The build's list of the classes below, one jar entry a line (javaagent/pom.xml). */
    static final String CLASS_INDEX = "inst/META-INF/agentmesh/bootstrap-classes";

    /** A bridge class, named only after injection. */
    static final String BRIDGE_CLASS = "dev.agentmesh.bootstrap.Governance";

    private static final String UNSAFE_PACKAGE = "jdk.internal.misc";

    private BootstrapInjector() {
    }

    /**
     * @param inst the JVM's instrumentation, used to reach the JDK's class-definition hook
     * @param agentJar the agent jar holding the classes
     * @throws IOException if the jar cannot be read
     * @throws ReflectiveOperationException if the JDK's class-definition hook cannot be reached
     */
    static void inject(Instrumentation inst, File agentJar) throws IOException, ReflectiveOperationException {
        Map<String, byte[]> pending = readClasses(agentJar);
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of(UNSAFE_PACKAGE, Set.of(BootstrapInjector.class.getModule())),
                Map.of(), Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName(UNSAFE_PACKAGE + ".Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        // A class can only be defined once its supertypes are; the set is tiny, so retry until all are in.
        while (!pending.isEmpty()) {
            List<String> defined = new ArrayList<>();
            Throwable last = null;
            for (Map.Entry<String, byte[]> e : pending.entrySet()) {
                byte[] bytes = e.getValue();
                try {
                    define.invoke(unsafe, e.getKey(), bytes, 0, bytes.length, null, null);
                    defined.add(e.getKey());
                } catch (InvocationTargetException notYet) {
                    // NoClassDefFoundError: a supertype not defined yet.
                    last = notYet.getCause();
                }
            }
            if (defined.isEmpty()) {
                throw new IllegalStateException("cannot define " + pending.keySet() + " in the bootstrap loader: "
                        + last, last);
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
            JarEntry index = jar.getJarEntry(CLASS_INDEX);
            if (index == null) {
                // A jar not built by javaagent/pom.xml: find them among all its entries.
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().endsWith(".class") && isBootstrapPackage(entry.getName())) {
                        read(jar, entry, classes);
                    }
                }
                return classes;
            }
            String names;
            try (InputStream in = jar.getInputStream(index)) {
                names = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String name : names.split("\n")) {
                String entryName = name.strip();
                if (entryName.isEmpty()) {
                    continue;
                }
                JarEntry entry = jar.getJarEntry(entryName);
                if (entry == null || !isBootstrapPackage(entryName)) {
                    throw new IOException("the agent jar's " + CLASS_INDEX + " names " + entryName
                            + ", which it does not hold or which does not belong in the bootstrap loader");
                }
                read(jar, entry, classes);
            }
        }
        return classes;
    }

    private static void read(JarFile jar, JarEntry entry, Map<String, byte[]> into) throws IOException {
        String name = entry.getName();
        try (InputStream in = jar.getInputStream(entry)) {
            into.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
        }
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
