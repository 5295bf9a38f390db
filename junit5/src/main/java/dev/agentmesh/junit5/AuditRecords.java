package dev.agentmesh.junit5;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * The records the current test wrote, read fresh (and verified against the hash chain) on every call. Inject it as
 * a test method parameter under {@link AgentMeshTest}.
 */
public final class AuditRecords {

    private final Path directory;
    private final AgentAttacher.Bridge bridge;

    AuditRecords(Path directory, AgentAttacher.Bridge bridge) {
        this.directory = directory;
        this.bridge = bridge;
    }

    /** @return the test's audit directory, for the audit reader */
    public Path directory() {
        return directory;
    }

    /**
     * @return every record so far, GENESIS first
     * @throws IllegalStateException if the trail does not verify
     */
    public List<AuditEntry> all() {
        return bridge.records().stream().map(AuditEntry::new).collect(Collectors.toUnmodifiableList());
    }

    /** @return the ALLOW and DENY records */
    public List<AuditEntry> decisions() {
        return where(AuditEntry::isDecision);
    }

    /** @return the ALLOW records */
    public List<AuditEntry> allowed() {
        return where(e -> "ALLOW".equals(e.type()));
    }

    /** @return the DENY records */
    public List<AuditEntry> denied() {
        return where(e -> "DENY".equals(e.type()));
    }

    /**
     * @param test which records
     * @return those, in trail order
     */
    public List<AuditEntry> where(Predicate<AuditEntry> test) {
        return all().stream().filter(test).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Asserts that {@code agentId} was allowed to call {@code method} (a method name, or a session action's name).
     *
     * @param agentId the agent
     * @param method the method
     * @return the matching ALLOW records
     */
    public List<AuditEntry> assertAllowed(String agentId, String method) {
        return assertSome("ALLOW", agentId, method);
    }

    /**
     * Asserts that {@code agentId} was denied {@code method}.
     *
     * @param agentId the agent
     * @param method the method
     * @return the matching DENY records
     */
    public List<AuditEntry> assertDenied(String agentId, String method) {
        return assertSome("DENY", agentId, method);
    }

    /** Asserts that nothing was denied. */
    public void assertNoDenials() {
        List<AuditEntry> denied = denied();
        if (!denied.isEmpty()) {
            throw new AssertionFailedError("expected no denials in " + directory + ", but found " + denied.size()
                    + ": " + denied);
        }
    }

    private List<AuditEntry> assertSome(String type, String agentId, String method) {
        List<AuditEntry> all = all();
        List<AuditEntry> found = all.stream().filter(e -> type.equals(e.type()) && agentId.equals(e.agentId())
                && method.equals(e.method())).collect(Collectors.toUnmodifiableList());
        if (found.isEmpty()) {
            throw new AssertionFailedError("expected a " + type + " of " + agentId + " calling " + method + " in "
                    + directory + "; the decisions were " + all.stream().filter(AuditEntry::isDecision)
                            .map(e -> e.type() + " " + e.agentId() + " " + e.method())
                            .collect(Collectors.toList()));
        }
        return found;
    }
}
