package dev.agentmesh.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The extension as a user meets it: this JVM was started without any agent flag; the extension's launcher
 * listener attached the real agent jar (a test dependency of this module) in test mode, with the policy in
 * {@code agentmesh-policy.yaml} on the test class path.
 */
@AgentMeshTest
class AgentMeshExtensionTest {

    private static final Set<Path> TRAILS = ConcurrentHashMap.newKeySet();

    private final DeskTools tools = new DeskTools();

    @Test
    void ringMethodsAreGovernedAndRecorded(AuditRecords trail) throws Exception {
        assertThat(AgentContext.runAs("researcher-1", () -> tools.webSearch("agents"))).isEqualTo("results for agents");
        assertThatThrownBy(() -> AgentContext.runAs("researcher-1", () -> tools.writeFile("a.md", "x")))
                .isInstanceOf(RingViolationException.class);

        trail.assertAllowed("researcher-1", "webSearch");
        trail.assertDenied("researcher-1", "writeFile");
        assertThat(trail.all()).extracting(AuditEntry::type).containsExactly("GENESIS", "ALLOW", "RETURNED", "DENY");
        assertThat(trail.denied()).singleElement().satisfies(d -> {
            assertThat(d.fields()).containsEntry("agentRing", 2L).containsEntry("requiredRing", 1L);
            assertThat(d.className()).isEqualTo(DeskTools.class.getName());
        });
    }

    @RepeatedTest(3)
    void everyTestHasATrailOfItsOwn(AuditRecords trail) throws Exception {
        AgentContext.runAs("ops-bot", () -> tools.writeFile("b.md", "y"));
        assertThat(trail.all()).extracting(AuditEntry::type).containsExactly("GENESIS", "ALLOW", "RETURNED");
        assertThat(TRAILS.add(trail.directory())).as("a directory no other test used").isTrue();
        assertThat(Files.isDirectory(trail.directory())).isTrue();
        assertThat(trail.directory()).startsWith(Path.of("target/agentmesh-tests").toAbsolutePath());
    }

    @Test
    void sessionsAreRecordedInTheTestsTrailToo(AuditRecords trail) {
        Session s = Hypervisor.get().createSession(SessionConfig.defaults());
        assertThat(s.execute("researcher-1", "tool_call", "web_search", 2, () -> "ok")).isEqualTo("ok");
        s.terminate();
        assertThat(trail.where(e -> "SESSION".equals(e.type()))).extracting(AuditEntry::event)
                .containsExactly("CREATED", "JOINED", "TERMINATED");
        trail.assertAllowed("researcher-1", "web_search");
        trail.assertNoDenials();
    }

    @Test
    void sagasAreRecordedInTheTestsTrailToo(AuditRecords trail) {
        Session s = Hypervisor.get().createSession(SessionConfig.defaults());
        Saga saga = s.saga("trip");
        saga.step("flight", () -> "BK-1", booking -> { });
        saga.step("charge", () -> {
            throw new java.io.IOException("declined");
        }, null);
        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);
        assertThat(trail.where(e -> "SAGA".equals(e.type()))).extracting(AuditEntry::event).containsExactly(
                "SAGA_STARTED", "STEP_STARTED", "STEP_COMPLETED", "STEP_STARTED", "STEP_FAILED", "SAGA_COMPENSATING",
                "COMPENSATION_STARTED", "COMPENSATION_COMPLETED", "SAGA_COMPENSATED");
        assertThat(trail.where(e -> "STEP_COMPLETED".equals(e.event()))).singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("sagaId", saga.id())
                        .containsEntry("step", "flight").containsEntry("attempt", 1L).containsEntry("data", "s:BK-1"));
    }

    @Test
    void failedAssertionsSayWhatWasThere(AuditRecords trail) throws Exception {
        AgentContext.runAs("researcher-1", () -> tools.webSearch("x"));
        assertThatThrownBy(() -> trail.assertDenied("researcher-1", "webSearch"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("expected a DENY of researcher-1 calling webSearch")
                .hasMessageContaining("the decisions were [ALLOW researcher-1 webSearch]");
        assertThatThrownBy(() -> {
            AgentContext.runAs("intruder", () -> tools.webSearch("x"));
        }).isInstanceOf(RingViolationException.class);
        assertThatThrownBy(trail::assertNoDenials).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("found 1");
    }

    @Test
    void aTrailThatNoLongerVerifiesIsReportedNotRead(AuditRecords trail) throws Exception {
        assertThatThrownBy(() -> AgentContext.runAs("tamper-me", () -> tools.webSearch("x")))
                .isInstanceOf(RingViolationException.class);
        Path cycle;
        try (java.util.stream.Stream<Path> files = Files.list(trail.directory())) {
            cycle = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        long at = indexOf(Files.readAllBytes(cycle), "tamper-me".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        flip(cycle, at);
        try {
            assertThatThrownBy(trail::all).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not verify").hasMessageContaining("record 1");
        } finally {
            // Put it back, so the extension's own check after the test passes.
            flip(cycle, at);
        }
        assertThat(trail.denied()).singleElement().extracting(AuditEntry::agentId).isEqualTo("tamper-me");
    }

    private static long indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("marker not found in the trail");
    }

    private static void flip(Path file, long at) throws java.io.IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }
}
