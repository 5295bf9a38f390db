package dev.agentmesh.javaagent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AgentClassLoader} over a jar built here: classes hidden as {@code inst/**.classdata}, multi-release
 * variants under {@code inst/META-INF/versions/N/}, plain resources under {@code inst/}, and decoys it must not
 * serve.
 */
class AgentClassLoaderTest {

    private static final int FEATURE = Runtime.version().feature();

    @TempDir
    static Path tmp;

    private static File jar;
    private static final Map<String, byte[]> ENTRIES = new LinkedHashMap<>();

    /** Compiles one source of class {@code com.x.<name>} and returns its class file. */
    private static byte[] compile(String name, String body) throws IOException {
        Path src = Files.createTempDirectory(tmp, "src");
        Path out = Files.createTempDirectory(tmp, "out");
        Path file = src.resolve("com/x/" + name + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "package com.x;\npublic class " + name + " {\n" + body + "\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests run on a JDK").isNotNull();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null, List.of("-d", out.toString()), null,
                javac.getStandardFileManager(null, null, UTF_8).getJavaFileObjects(file.toFile())).call();
        assertThat(compiled).as(diagnostics.toString()).isTrue();
        return Files.readAllBytes(out.resolve("com/x/" + name + ".class"));
    }

    private static String which(String value) {
        return "public static String which() { return \"" + value + "\"; }";
    }

    @BeforeAll
    static void buildJar() throws IOException {
        ENTRIES.put("inst/com/x/Foo.classdata", compile("Foo", which("foo")));
        ENTRIES.put("inst/com/x/Bar.classdata", compile("Bar", which("bar-base")));
        ENTRIES.put("inst/META-INF/versions/" + FEATURE + "/com/x/Bar.classdata",
                compile("Bar", which("bar-" + FEATURE)));
        // a variant for a newer JVM than this one must be ignored
        ENTRIES.put("inst/com/x/Baz.classdata", compile("Baz", which("baz-base")));
        ENTRIES.put("inst/META-INF/versions/" + (FEATURE + 1) + "/com/x/Baz.classdata",
                compile("Baz", which("baz-future")));
        // with no variant for this JVM, the newest older one wins over the plain entry
        ENTRIES.put("inst/com/x/Qux.classdata", compile("Qux", which("qux-base")));
        ENTRIES.put("inst/META-INF/versions/9/com/x/Qux.classdata", compile("Qux", which("qux-9")));
        ENTRIES.put("inst/META-INF/versions/11/com/x/Qux.classdata", compile("Qux", which("qux-11")));
        ENTRIES.put("inst/res.txt", "hidden resource".getBytes(UTF_8));
        // decoys: a normal class outside inst/, and a .class (not .classdata) inside it
        ENTRIES.put("com/x/Top.class", compile("Top", which("top")));
        ENTRIES.put("inst/com/x/Plain.class", compile("Plain", which("plain")));
        ENTRIES.put("top.txt", "outside inst".getBytes(UTF_8));

        jar = tmp.resolve("agent.jar").toFile();
        try (OutputStream file = Files.newOutputStream(jar.toPath()); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : ENTRIES.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    private static AgentClassLoader loader() throws IOException {
        return new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader());
    }

    private static String which(Class<?> c) throws Exception {
        return (String) c.getMethod("which").invoke(null);
    }

    private static byte[] read(URL url) throws IOException {
        URLConnection c = url.openConnection();
        c.setUseCaches(false); // do not keep the jar open in the JDK's cache
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void loadsAHiddenClassAndDefinesItInItself() throws Exception {
        AgentClassLoader loader = loader();

        Class<?> foo = loader.loadClass("com.x.Foo");

        assertThat(which(foo)).isEqualTo("foo");
        assertThat(foo.getClassLoader()).isSameAs(loader);
        assertThat(foo.getPackage().getName()).isEqualTo("com.x");
        assertThat(loader.getDefinedPackage("com.x")).isNotNull();
        assertThat(foo.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(jar.toURI().toURL());
        assertThat(foo.getProtectionDomain().getClassLoader()).isSameAs(loader);
        assertThat(loader.loadClass("com.x.Foo")).as("defined once").isSameAs(foo);
        assertThat(loader.getName()).isEqualTo("agentmesh");
        assertThat(Class.forName("com.x.Foo", true, loader)).isSameAs(foo);
    }

    @Test
    void theVariantForThisJvmWinsOverThePlainEntry() throws Exception {
        assertThat(which(loader().loadClass("com.x.Bar"))).isEqualTo("bar-" + FEATURE);
    }

    @Test
    void aVariantForANewerJvmIsIgnored() throws Exception {
        assertThat(which(loader().loadClass("com.x.Baz"))).isEqualTo("baz-base");
    }

    @Test
    void theNewestVariantNoNewerThanThisJvmWins() throws Exception {
        assertThat(which(loader().loadClass("com.x.Qux"))).isEqualTo("qux-11");
    }

    @Test
    void aClassResourceMapsToItsClassdataEntryAndReturnsItsBytes() throws Exception {
        AgentClassLoader loader = loader();

        URL foo = loader.getResource("com/x/Foo.class");

        assertThat(foo).isNotNull();
        assertThat(foo.getProtocol()).isEqualTo("jar");
        assertThat(foo.toString()).endsWith("!/inst/com/x/Foo.classdata");
        assertThat(read(foo)).isEqualTo(ENTRIES.get("inst/com/x/Foo.classdata"));
        try (InputStream in = loader.getResourceAsStream("com/x/Foo.class")) {
            assertThat(in).isNotNull();
            assertThat(in.readAllBytes()).isEqualTo(ENTRIES.get("inst/com/x/Foo.classdata"));
        }
    }

    @Test
    void aClassResourceHonoursMultiReleaseVariantsToo() throws Exception {
        URL bar = loader().getResource("com/x/Bar.class");

        assertThat(bar.toString()).endsWith("!/inst/META-INF/versions/" + FEATURE + "/com/x/Bar.classdata");
        assertThat(read(bar)).isEqualTo(ENTRIES.get("inst/META-INF/versions/" + FEATURE + "/com/x/Bar.classdata"));
    }

    @Test
    void aPlainResourceUnderInstIsFound() throws Exception {
        AgentClassLoader loader = loader();

        URL res = loader.getResource("res.txt");

        assertThat(res).isNotNull();
        assertThat(new String(read(res), UTF_8)).isEqualTo("hidden resource");
        List<URL> all = Collections.list(loader.getResources("res.txt"));
        assertThat(all).hasSize(1);
        assertThat(all.get(0).toString()).isEqualTo(res.toString());
    }

    @Test
    void entriesOutsideInstAndMissingOnesAreNotServed() throws Exception {
        AgentClassLoader loader = loader();

        assertThat(loader.getResource("top.txt")).isNull();
        assertThat(loader.getResource("com/x/Top.class")).isNull();
        assertThat(loader.getResource("missing.txt")).isNull();
        assertThat(Collections.list(loader.getResources("missing.txt"))).isEmpty();
    }

    @Test
    void aTopLevelClassOutsideInstIsNotLoadable() throws Exception {
        AgentClassLoader loader = loader();
        assertThat(ENTRIES).containsKey("com/x/Top.class"); // it is in the jar...

        assertThatThrownBy(() -> loader.loadClass("com.x.Top")).isInstanceOf(ClassNotFoundException.class)
                .hasMessageContaining("com.x.Top");
        // ...and so is inst/com/x/Plain.class, but only .classdata entries are classes
        assertThatThrownBy(() -> loader.loadClass("com.x.Plain")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> loader.loadClass("com.x.Missing")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void theParentIsAskedFirst() throws Exception {
        AgentClassLoader loader = loader();

        Class<?> string = loader.loadClass("java.lang.String");

        assertThat(string).isSameAs(String.class);
        assertThat(string.getClassLoader()).as("the boot loader").isNull();
        assertThat(loader.loadClass("java.sql.Connection")).as("a platform-loader class")
                .isSameAs(java.sql.Connection.class);
        assertThat(loader.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    }

    @Test
    void itNeverSeesTheApplicationUnlessItIsTheParent() throws Exception {
        String app = AgentClassLoaderTest.class.getName();

        assertThatThrownBy(() -> loader().loadClass(app)).as("platform parent: the application is invisible")
                .isInstanceOf(ClassNotFoundException.class);

        AgentClassLoader overApp = new AgentClassLoader(jar, AgentClassLoaderTest.class.getClassLoader());
        assertThat(overApp.loadClass(app)).isSameAs(AgentClassLoaderTest.class);
        assertThat(overApp.loadClass("com.x.Foo").getClassLoader()).isSameAs(overApp);
    }

    @Test
    void concurrentLoadsOfTheSameClassDefineItOnce() throws Exception {
        AgentClassLoader loader = loader();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Class<?>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = i % 2 == 0 ? "com.x.Foo" : "com.x.Bar";
                Callable<Class<?>> load = () -> {
                    start.await();
                    return loader.loadClass(name);
                };
                results.add(pool.submit(load));
            }
            start.countDown();
            Set<Class<?>> loaded = new HashSet<>();
            for (Future<Class<?>> r : results) {
                loaded.add(r.get(10, TimeUnit.SECONDS));
            }
            assertThat(loaded).hasSize(2).allSatisfy(c -> assertThat(c.getClassLoader()).isSameAs(loader));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingJarFailsAtConstruction() {
        File missing = tmp.resolve("no-such.jar").toFile();
        assertThatThrownBy(() -> new AgentClassLoader(missing, null)).isInstanceOf(IOException.class);
    }
}
