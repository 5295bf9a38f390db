package dev.agentmesh.junit5;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Attaches the AgentMesh javaagent to this test JVM, once, in test mode, with ByteBuddy's agent installer, and
 * reaches its test bridge ({@code dev.agentmesh.bootstrap.Testing}, in the bootstrap loader once attached).
 *
 * <p>It must run before any test class touches the AgentMesh API, or the agent refuses to attach (the API would be
 * loaded twice); {@link AgentMeshLauncherListener} calls it when the JUnit launcher session opens, before discovery.
 *
 * <p>Where things come from, each overridable by a system property:
 * <ul>
 *   <li>the agent jar: {@code agentmesh.agentJar}, else the {@code agentmesh-javaagent} jar on the test class path;</li>
 *   <li>the policy: {@code agentmesh.policy}, else {@code agentmesh-policy.yaml} at the root of the test class path,
 *       else none (every agent sandboxed);</li>
 *   <li>where each test's trail goes: {@code agentmesh.testTrails}, default {@code target/agentmesh-tests}.</li>
 * </ul>
 */
final class AgentAttacher {

    private static final String TESTING = "dev.agentmesh.bootstrap.Testing";
    private static Throwable attachFailure;
    private static boolean attached;

    private AgentAttacher() {
    }

    /**
     * Attaches the agent if it is not attached yet. Never throws: a failure is kept and reported by
     * {@link #testing()} to the first test that needs the agent.
     */
    static synchronized void ensureAttached() {
        if (attached || attachFailure != null) {
            return;
        }
        try {
            if (!isTestModeAgentPresent()) {
                Path jar = agentJar();
                String options = "testing=true,audit.dir=" + trailRoot().resolve("startup").toAbsolutePath()
                        + policyOption();
                ByteBuddyAgent.attach(jar.toFile(), String.valueOf(ProcessHandle.current().pid()), options);
                if (!isTestModeAgentPresent()) {
                    throw new IllegalStateException("the agent at " + jar + " did not start in test mode; see its "
                            + "'agentmesh:' line on stderr");
                }
            }
            attached = true;
        } catch (Throwable e) {
            attachFailure = e;
        }
    }

    /** @return the root under which each test gets its trail directory */
    static Path trailRoot() {
        return Paths.get(System.getProperty("agentmesh.testTrails", "target/agentmesh-tests"));
    }

    /**
     * @return handles on the agent's test bridge
     * @throws IllegalStateException saying why the agent is not there
     */
    static synchronized Bridge testing() {
        ensureAttached();
        if (attachFailure != null) {
            throw new IllegalStateException("AgentMesh: could not attach the agent to this test JVM: " + attachFailure
                    + ". Put the agentmesh-javaagent jar on the test class path or name it with -Dagentmesh.agentJar,"
                    + " and keep agentmesh-junit5 on the class path from the start (its launcher listener attaches the"
                    + " agent before any test class loads)", attachFailure);
        }
        return Bridge.INSTANCE;
    }

    private static boolean isTestModeAgentPresent() {
        try {
            Class<?> testing = Class.forName(TESTING, true, null);
            return (boolean) testing.getMethod("isEnabled").invoke(null);
        } catch (ClassNotFoundException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unexpected AgentMesh bridge: " + e, e);
        }
    }

    private static Path agentJar() throws URISyntaxException, java.net.MalformedURLException {
        String named = System.getProperty("agentmesh.agentJar");
        if (named != null && !named.isBlank()) {
            return Paths.get(named);
        }
        URL main = ClassLoader.getSystemResource("dev/agentmesh/javaagent/AgentMain.class");
        if (main == null || !"jar".equals(main.getProtocol())) {
            throw new IllegalStateException("no agentmesh-javaagent jar on the test class path (and no "
                    + "-Dagentmesh.agentJar)");
        }
        String file = main.getPath();
        return Paths.get(new URL(file.substring(0, file.indexOf("!/"))).toURI());
    }

    private static String policyOption() throws IOException {
        String named = System.getProperty("agentmesh.policy");
        if (named != null && !named.isBlank()) {
            return ",policy=" + Paths.get(named).toAbsolutePath();
        }
        try (InputStream in = ClassLoader.getSystemResourceAsStream("agentmesh-policy.yaml")) {
            if (in == null) {
                return "";
            }
            Files.createDirectories(trailRoot());
            Path copy = trailRoot().resolve("agentmesh-policy.yaml").toAbsolutePath();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return ",policy=" + copy;
        }
    }

    /** The agent's test bridge, reached by method handles on the bootstrap class. */
    static final class Bridge {
        static final Bridge INSTANCE = new Bridge();

        private final MethodHandle useTrail;
        private final MethodHandle records;

        private Bridge() {
            try {
                Class<?> testing = Class.forName(TESTING, true, null);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                useTrail = lookup.findStatic(testing, "useTrail", MethodType.methodType(void.class, Path.class));
                records = lookup.findStatic(testing, "records", MethodType.methodType(java.util.List.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unexpected AgentMesh bridge: " + e, e);
            }
        }

        void useTrail(Path dir) {
            try {
                useTrail.invoke(dir);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @SuppressWarnings("unchecked")
        java.util.List<java.util.Map<String, Object>> records() {
            try {
                return (java.util.List<java.util.Map<String, Object>>) records.invoke();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
