package dev.agentmesh.javaagent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Defines the engine (everything under the agent jar's {@code inst/}) as one named module, {@value #MODULE}, in a
 * module layer of its own whose class loader is the JDK's own ({@code ModuleLayer.defineModulesWithOneLoader}). The
 * module exports and opens nothing to the application, so {@code setAccessible} from application code on any engine
 * class fails with {@code InaccessibleObjectException}, and {@code MethodHandles.privateLookupIn} fails too.
 *
 * <p>The only ways in are: the {@code java.util.function.Consumer} the module provides (its entry point, which
 * accepts one call), and the package holding the kill switch's MXBean interface, which it exports.
 *
 * <p>The loader is the JDK's ({@code jdk.internal.loader.Loader}, in {@code java.base}), not one of ours: a loader
 * class of ours would sit in the application's unnamed module, where application code could rewrite its private
 * fields (say, the jar it reads) and have it define a class of its choosing inside the engine's packages.
 */
final class EngineLayer {

    /** The engine module's name. */
    static final String MODULE = "dev.agentmesh.engine";

    /** The entry point's service type: a JDK interface, so nothing of the engine needs exporting. */
    static final String ENTRY_SERVICE = Consumer.class.getName();
    /** The engine's entry point. */
    static final String ENTRY = "dev.agentmesh.agent.EngineEntry";

    /** Services the engine's libraries look up with {@code ServiceLoader}: a named module must declare {@code uses}. */
    private static final String[] USES = {
        "org.slf4j.spi.SLF4JServiceProvider",
        "net.openhft.chronicle.core.cleaner.spi.ByteBufferCleanerService",
        "net.openhft.chronicle.core.ChronicleInitRunnable",
        "net.openhft.chronicle.threads.NotifyDiskLow",
        "net.openhft.chronicle.threads.PauserMonitorFactory",
    };

    /**
     * The one package exported, to everyone: it holds only the kill switch's MXBean interface. JMX calls its methods
     * through a trampoline class in an unnamed module of its own, so a qualified export to {@code java.management}
     * is not enough. An interface gives application code nothing it cannot do through the platform MBean server.
     */
    static final String EXPORTED = "dev.agentmesh.agent.control.mbean";

    private static final String SERVICES = AgentClassLoader.PREFIX + "META-INF/services/";
    private static final String VERSIONS = AgentClassLoader.PREFIX + "META-INF/versions/";
    /** The engine's packages, one a line, listed by the build (javaagent/pom.xml). */
    static final String PACKAGE_INDEX = AgentClassLoader.PREFIX + "META-INF/agentmesh/packages";

    private EngineLayer() {
    }

    /**
     * @param agentJar the agent jar
     * @return the engine module, defined in a new layer over the boot layer
     * @throws IOException if the jar cannot be read
     */
    static Module define(File agentJar) throws IOException {
        ModuleDescriptor descriptor = describe(agentJar);
        URI location = agentJar.toURI();
        ModuleReference ref = new ModuleReference(descriptor, location) {
            @Override
            public ModuleReader open() throws IOException {
                return new InstReader(new JarFile(agentJar, false), location);
            }
        };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return MODULE.equals(name) ? Optional.of(ref) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(ref);
            }
        };
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(cf, List.of(boot),
                ClassLoader.getPlatformClassLoader());
        Module engine = controller.layer().findModule(MODULE).orElseThrow();
        passOnNativeAccess(controller, engine);
        return engine;
    }

    /**
     * {@code --enable-native-access} names only boot-layer modules, so a user who enabled it for
     * {@code ALL-UNNAMED} (where the engine used to live, and this class still does) would otherwise lose it for the
     * engine (jffi loads native code). Passed on through the layer's controller (JDK 22+); never granted otherwise.
     */
    private static void passOnNativeAccess(ModuleLayer.Controller controller, Module engine) {
        if (Runtime.version().feature() < 22) {
            return;
        }
        try {
            if ((Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(EngineLayer.class.getModule())) {
                ModuleLayer.Controller.class.getMethod("enableNativeAccess", Module.class).invoke(controller, engine);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // The engine runs on, with the JDK's default for native access (a warning today).
        }
    }

    /**
     * @param engine the engine module
     * @return its entry point
     */
    @SuppressWarnings("unchecked")
    static Consumer<Object[]> entry(Module engine) {
        for (Consumer<?> c : ServiceLoader.load(engine.getLayer(), Consumer.class)) {
            if (c.getClass().getModule() == engine) {
                return (Consumer<Object[]>) c;
            }
        }
        throw new IllegalStateException("the engine module has no entry point");
    }

    /** The descriptor: every package under {@code inst/}, the JDK's modules read, services, no exports. */
    static ModuleDescriptor describe(File agentJar) throws IOException {
        Set<String> packages = new LinkedHashSet<>();
        Map<String, List<String>> provides = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(agentJar, false)) {
            JarEntry index = jar.getJarEntry(PACKAGE_INDEX);
            if (index != null) {
                // Written by the build: one package a line.
                try (InputStream in = jar.getInputStream(index)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            packages.add(line.strip());
                        }
                    }
                }
            } else {
                scanPackages(jar, packages);
            }
            for (String service : USES) {
                JarEntry e = jar.getJarEntry(SERVICES + service);
                if (e != null) {
                    provides.put(service, providers(jar, e.getName()));
                }
            }
        }
        ModuleDescriptor.Builder b = ModuleDescriptor.newModule(MODULE);
        // Read what an unnamed module would read of the JDK: every system module in the boot layer. (Not the
        // application's own named modules: one exporting, say, org.slf4j would clash with the engine's copy.)
        ModuleFinder system = ModuleFinder.ofSystem();
        for (Module m : ModuleLayer.boot().modules()) {
            if (system.find(m.getName()).isPresent() && !m.getName().equals("java.base")) {
                b.requires(m.getName());
            }
        }
        b.packages(packages);
        for (String service : USES) {
            b.uses(service);
        }
        // No lambdas or streams here: this runs before the application's main, on cold JDK code.
        for (Map.Entry<String, List<String>> e : provides.entrySet()) {
            List<String> inModule = new ArrayList<>();
            for (String impl : e.getValue()) {
                if (packages.contains(impl.substring(0, Math.max(0, impl.lastIndexOf('.'))))) {
                    inModule.add(impl);
                }
            }
            if (!inModule.isEmpty()) {
                b.provides(e.getKey(), inModule);
            }
        }
        b.provides(ENTRY_SERVICE, List.of(ENTRY));
        if (packages.contains(EXPORTED)) {
            b.exports(EXPORTED);
        }
        return b.build();
    }

    /** Without the build's index: every directory under {@code inst/} holding a class is a package. */
    private static void scanPackages(JarFile jar, Set<String> packages) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (!name.startsWith(AgentClassLoader.PREFIX) || !name.endsWith(AgentClassLoader.CLASS_SUFFIX)) {
                continue;
            }
            String path = name.startsWith(VERSIONS)
                    ? name.substring(name.indexOf('/', VERSIONS.length()) + 1)
                    : name.substring(AgentClassLoader.PREFIX.length());
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                packages.add(path.substring(0, slash).replace('/', '.'));
            }
        }
    }

    private static List<String> providers(JarFile jar, String entry) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int hash = line.indexOf('#');
                String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!name.isEmpty()) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** Reads {@code X.class} from {@code inst/X.classdata}, other resources from {@code inst/}, honouring versions. */
    private static final class InstReader implements ModuleReader {
        private final JarFile jar;
        private final String jarUri;
        /** The version directories under {@code inst/META-INF/versions/} that apply to this JDK, newest first. */
        private final String[] versionDirs;

        InstReader(JarFile jar, URI location) {
            this.jar = jar;
            this.jarUri = "jar:" + location + "!/";
            // Found once: probing every version from this JDK's down to 9 for each of the ~400 classes loaded before
            // the application's main would cost ten jar lookups a class.
            List<String> dirs = new ArrayList<>();
            for (int v = Runtime.version().feature(); v >= 9; v--) {
                if (jar.getJarEntry(VERSIONS + v + "/") != null) {
                    dirs.add(VERSIONS + v + "/");
                }
            }
            this.versionDirs = dirs.toArray(new String[0]);
        }

        private JarEntry entry(String name) {
            String hidden = name.endsWith(".class")
                    ? name.substring(0, name.length() - ".class".length()) + AgentClassLoader.CLASS_SUFFIX
                    : name;
            for (String dir : versionDirs) {
                JarEntry versioned = jar.getJarEntry(dir + hidden);
                if (versioned != null) {
                    return versioned;
                }
            }
            return jar.getJarEntry(AgentClassLoader.PREFIX + hidden);
        }

        @Override
        public Optional<URI> find(String name) {
            JarEntry e = entry(name);
            return e == null ? Optional.empty() : Optional.of(URI.create(jarUri + e.getName()));
        }

        @Override
        public Optional<InputStream> open(String name) throws IOException {
            JarEntry e = entry(name);
            return e == null ? Optional.empty() : Optional.of(jar.getInputStream(e));
        }

        @Override
        public Optional<ByteBuffer> read(String name) throws IOException {
            JarEntry e = entry(name);
            if (e == null) {
                return Optional.empty();
            }
            try (InputStream in = jar.getInputStream(e)) {
                return Optional.of(ByteBuffer.wrap(in.readAllBytes()));
            }
        }

        @Override
        public Stream<String> list() {
            return jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(AgentClassLoader.PREFIX))
                    .map(n -> n.substring(AgentClassLoader.PREFIX.length()))
                    .map(n -> n.endsWith(AgentClassLoader.CLASS_SUFFIX)
                            ? n.substring(0, n.length() - AgentClassLoader.CLASS_SUFFIX.length()) + ".class" : n);
        }

        @Override
        public void close() throws IOException {
            jar.close();
        }
    }
}
