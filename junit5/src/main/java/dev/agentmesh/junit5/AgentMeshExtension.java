package dev.agentmesh.junit5;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link AgentMeshTest}. Before each test it moves the agent's trail to a directory of
 * the test's own ({@code target/agentmesh-tests/<class>/<test>}), where it stays for inspection; after the test it
 * checks that the trail verifies. It resolves {@link AuditRecords} parameters.
 *
 * <p>One JVM has one trail, so tests that use the extension run one at a time, even under parallel execution.
 */
public final class AgentMeshExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {

    private static final ReentrantLock ONE_TRAIL = new ReentrantLock();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            AgentMeshExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        AgentAttacher.testing();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        AgentAttacher.Bridge bridge = AgentAttacher.testing();
        ONE_TRAIL.lock();
        try {
            Path dir = AgentAttacher.trailRoot().resolve(safe(context.getRequiredTestClass().getName()))
                    .resolve(safe(context.getDisplayName()) + "-" + Math.abs(context.getUniqueId().hashCode()))
                    .toAbsolutePath();
            deleteIfPresent(dir);
            bridge.useTrail(dir);
            context.getStore(NAMESPACE).put(AuditRecords.class, new AuditRecords(dir, bridge));
        } catch (RuntimeException | Error e) {
            ONE_TRAIL.unlock();
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            AuditRecords records = context.getStore(NAMESPACE).get(AuditRecords.class, AuditRecords.class);
            if (records != null) {
                // Reading verifies the chain: a test never passes on a trail that does not verify.
                records.all();
            }
        } finally {
            if (ONE_TRAIL.isHeldByCurrentThread()) {
                ONE_TRAIL.unlock();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AuditRecords.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        AuditRecords records = context.getStore(NAMESPACE).get(AuditRecords.class, AuditRecords.class);
        if (records == null) {
            throw new org.junit.jupiter.api.extension.ParameterResolutionException("AuditRecords is available to "
                    + "test methods (and @BeforeEach/@AfterEach), not to constructors or @BeforeAll");
        }
        return records;
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 80 ? s.substring(0, 80) : s;
    }

    private static void deleteIfPresent(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear the old trail in " + dir, e);
        }
    }
}
