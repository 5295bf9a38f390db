package dev.agentmesh.javaagent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's engine from the agent jar's {@code inst/} entries, where classes are stored as
 * {@code .classdata} so that no other class loader can find them. Its parent is the platform loader, so it sees
 * the JDK and, once the engine has defined them in the bootstrap loader, the AgentMesh API and bridge, but never
 * the application.
 *
 * <p>Requests for {@code X.class} as a resource are answered from {@code inst/X.classdata}, so ByteBuddy can read
 * the advice classes' bytes. Multi-release entries under {@code inst/META-INF/versions/N/} are honoured.
 */
public final class AgentClassLoader extends ClassLoader {

    /** Where hidden entries live in the agent jar. */
    public static final String PREFIX = "inst/";
    /** What hidden class files end with instead of {@code .class}. */
    public static final String CLASS_SUFFIX = ".classdata";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final URL jarUrl;
    private final ProtectionDomain domain;
    private final int javaVersion = Runtime.version().feature();

    /**
     * @param agentJar the agent jar
     * @param parent the parent loader, normally the platform loader
     * @throws IOException if the jar cannot be opened
     */
    public AgentClassLoader(File agentJar, ClassLoader parent) throws IOException {
        super("agentmesh", parent);
        this.jar = new JarFile(agentJar, false);
        this.jarUrl = agentJar.toURI().toURL();
        this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/');
        JarEntry entry = entry(path + CLASS_SUFFIX);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0) {
            String pkg = className.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // Another thread defined it first; that is fine.
                }
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        String hidden = name.endsWith(".class")
                ? name.substring(0, name.length() - ".class".length()) + CLASS_SUFFIX
                : name;
        JarEntry entry = entry(hidden);
        if (entry == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + entry.getName());
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
    }

    /** The newest multi-release variant this JVM can use, else the plain entry. */
    private JarEntry entry(String path) {
        for (int v = javaVersion; v >= 9; v--) {
            JarEntry versioned = jar.getJarEntry(PREFIX + "META-INF/versions/" + v + "/" + path);
            if (versioned != null) {
                return versioned;
            }
        }
        return jar.getJarEntry(PREFIX + path);
    }
}
