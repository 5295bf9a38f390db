package dev.agentmesh.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class or jar in a fresh JVM, the way a user would, and captures what it printed. The java binary is the
 * one the build names in {@code agentmesh.it.java} (JDK 17 by default; CI reruns with JDK 25).
 */
public final class ForkedJvm {

    /** Paths the build passes in. */
    public static final Path AGENT_JAR = path("agentmesh.it.agentJar");
    public static final Path READER_JAR = path("agentmesh.it.readerJar");
    public static final Path API_JAR = path("agentmesh.it.apiJar");
    public static final Path EXAMPLES_JAR = path("agentmesh.it.examplesJar");
    public static final Path HOST_BYTEBUDDY_JAR = path("agentmesh.it.hostByteBuddyJar");
    public static final Path TEST_CLASSES = path("agentmesh.it.testClasses");
    /** The LangChain4j example's build folder: its jar, and its libraries in {@code lib/}. */
    public static final Path LANGCHAIN4J_EXAMPLE = path("agentmesh.it.langchain4jExample");
    /** The MCP example's build folder: its jar, and its libraries in {@code lib/}. */
    public static final Path MCP_EXAMPLE = path("agentmesh.it.mcpExample");
    /** The Spring AI example's build folder: its jar, and its libraries in {@code lib/}. */
    public static final Path SPRING_AI_EXAMPLE = path("agentmesh.it.springAiExample");
    /** The {@code examples/} folder: each framework example's build folder is {@code <name>/target}. */
    public static final Path EXAMPLES = LANGCHAIN4J_EXAMPLE.getParent().getParent();
    public static final String JAVA = System.getProperty("agentmesh.it.java", "java");

    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private final List<String> programArgs = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String main;
    private Path jar;
    private String agentOptions;
    private boolean withAgent;
    private Path workDir;
    private long timeoutSeconds = 120;
    private long fileSizeLimitBytes = -1;

    /** The JIT setting of every forked JVM: C1 only, which starts short-lived JVMs fastest. */
    public static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    private ForkedJvm() {
    }

    /** @param mainClass the class to run @return a JVM running it from the test classes and the API jar */
    public static ForkedJvm main(Class<?> mainClass) {
        ForkedJvm jvm = new ForkedJvm();
        jvm.main = mainClass.getName();
        jvm.classPath.add(TEST_CLASSES.toString());
        jvm.classPath.add(API_JAR.toString());
        return jvm;
    }

    /** @param mainClass the class to run @return a JVM running it from the examples jar */
    public static ForkedJvm example(String mainClass) {
        ForkedJvm jvm = new ForkedJvm();
        jvm.main = mainClass;
        jvm.classPath.add(EXAMPLES_JAR.toString());
        jvm.classPath.add(API_JAR.toString());
        return jvm;
    }

    /**
     * @param jar an executable jar, whose manifest names its main class and class path
     * @return a JVM running it
     */
    public static ForkedJvm jar(Path jar) {
        ForkedJvm jvm = new ForkedJvm();
        jvm.jar = jar;
        return jvm;
    }

    /** @param args the reader's arguments @return a JVM running the audit reader jar */
    public static ForkedJvm auditReader(String... args) {
        ForkedJvm jvm = new ForkedJvm();
        jvm.jar = READER_JAR;
        jvm.programArgs.addAll(List.of(args));
        return jvm;
    }

    /**
     * @param args the command's arguments
     * @return a JVM running the agent jar as the operator's command line ({@code kill}, {@code revive}, ...)
     */
    public static ForkedJvm agentCli(String... args) {
        ForkedJvm jvm = new ForkedJvm();
        jvm.jar = AGENT_JAR;
        jvm.programArgs.addAll(List.of(args));
        return jvm;
    }

    /** @param options what follows {@code =} in {@code -javaagent}, or {@code null} @return this */
    public ForkedJvm withAgent(String options) {
        this.withAgent = true;
        this.agentOptions = options;
        return this;
    }

    /** @param entry extra class path entry @return this */
    public ForkedJvm classPath(Path entry) {
        classPath.add(entry.toString());
        return this;
    }

    /**
     * @param dir a folder of jars, such as an example's {@code lib/}
     * @return this, with every jar in it on the class path
     */
    public ForkedJvm libraries(Path dir) {
        try (java.util.stream.Stream<Path> jars = java.nio.file.Files.list(dir)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(this::classPath);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return this;
    }

    /** @param arg a JVM argument such as {@code -Dx=y} @return this */
    public ForkedJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** @param args program arguments @return this */
    public ForkedJvm args(String... args) {
        programArgs.addAll(List.of(args));
        return this;
    }

    /** @param name variable @param value value @return this */
    public ForkedJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Limits the size of every file the JVM writes ({@code RLIMIT_FSIZE}, through the shell's {@code ulimit -f}):
     * growing a file past it fails as on a full disk. The JVM ignores the signal the kernel sends with the failure.
     *
     * @param bytes the limit, a multiple of 512
     * @return this
     */
    public ForkedJvm fileSizeLimit(long bytes) {
        this.fileSizeLimitBytes = bytes;
        return this;
    }

    /** @param seconds how long the JVM may run before the test fails (default 120) @return this */
    public ForkedJvm timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** @param dir working directory @return this */
    public ForkedJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /**
     * Runs the JVM to completion.
     *
     * @return what happened
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted
     */
    public Result run() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        // Forked JVMs live a second or two: the C2 compiler only competes with them for the CPU (a third of their
        // CPU time on 2 cores). A test that needs it passes -XX:TieredStopAtLevel=4, which wins as the later flag.
        cmd.add(QUICK_START);
        if (withAgent) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentOptions == null ? "" : "=" + agentOptions));
        }
        cmd.addAll(jvmArgs);
        if (jar != null) {
            cmd.add("-jar");
            cmd.add(jar.toString());
        } else {
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, classPath));
            cmd.add(main);
        }
        cmd.addAll(programArgs);
        if (fileSizeLimitBytes >= 0) {
            // POSIX sh counts ulimit -f in 512-byte blocks; exec keeps the JVM the process waited for.
            cmd.addAll(0, List.of("/bin/sh", "-c", "ulimit -f " + fileSizeLimitBytes / 512 + " && exec \"$@\"",
                    "sh"));
        }
        Path out = Files.createTempFile("agentmesh-it", ".out");
        Path err = Files.createTempFile("agentmesh-it", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AGENTMESH_"));
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd);
        }
        Result r = new Result(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /**
     * @return the feature version of the java binary forked JVMs run on
     * @throws Exception if it cannot be run
     */
    public static int javaFeatureVersion() throws Exception {
        Process p = new ProcessBuilder(JAVA, "-XshowSettings:properties", "-version").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("java\\.specification\\.version = (\\d+)")
                .matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("cannot tell the version of " + JAVA + ":\n" + out);
        }
        return Integer.parseInt(m.group(1));
    }

    private static Path path(String property) {
        String v = System.getProperty(property);
        return v == null ? null : Paths.get(v);
    }

    /**
     * What a forked JVM did.
     *
     * @param command the command line
     * @param exitCode its exit code
     * @param stdout what it printed to standard output
     * @param stderr what it printed to standard error
     */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** @return the standard output's lines */
        public List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " of " + String.join(" ", command) + "\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }
    }
}
