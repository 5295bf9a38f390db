package dev.agentmesh.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionClosedException;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.SessionState;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SessionEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions under concurrency, against a real trail: limits hold, terminate waits, nothing is recorded twice. */
class AgentSessionTest {

    @TempDir
    Path dir;

    private AuditTrail trail;
    private AgentHypervisor hv;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeEach
    void setUp() {
        Policy policy = Policy.builder().defaultRing(2).defaultAgent("anon").agent("root", 0).source("p.yaml")
                .digest(new byte[32]).build();
        trail = new AuditTrail(dir, new GenesisInfo("w", new byte[32], "p.yaml"), 10_000);
        trail.open();
        hv = new AgentHypervisor(new RingGovernor(policy, new MethodRegistry(), trail, false), trail);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        trail.close();
    }

    @RepeatedTest(5)
    void concurrentJoinsNeverExceedMaxParticipants() throws Exception {
        Session s = hv.createSession(SessionConfig.builder().maxParticipants(3).build());
        CyclicBarrier start = new CyclicBarrier(8);
        AtomicInteger joined = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String agent = "agent-" + i;
            done.add(pool.submit(() -> {
                start.await();
                try {
                    s.join(agent);
                    joined.incrementAndGet();
                } catch (IllegalStateException e) {
                    full.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(joined).hasValue(3);
        assertThat(full).hasValue(5);
        assertThat(s.participants()).hasSize(3);
        assertThat(events(s.id(), SessionEvent.JOINED)).isEqualTo(3);
    }

    @Test
    void terminateWaitsForRunningActionsAndThenRefusesNewOnes() throws Exception {
        Session s = hv.createSession(SessionConfig.defaults());
        CountDownLatch inBody = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> running = pool.submit(() -> s.execute("anon", "tool_call", "slow", 2, () -> {
            inBody.countDown();
            release.await();
            return "finished";
        }));
        assertThat(inBody.await(10, TimeUnit.SECONDS)).isTrue();
        Future<String> terminating = pool.submit(s::terminate);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.lifecycle() != SessionState.TERMINATING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(s.lifecycle()).isEqualTo(SessionState.TERMINATING);
        assertThatThrownBy(() -> s.execute("anon", "tool_call", "late", 2, () -> "ran"))
                .isInstanceOf(SessionClosedException.class).hasMessageEndingWith("is terminating; it takes no more calls");
        assertThat(terminating.isDone()).as("terminate waits for the running action").isFalse();

        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("finished");
        String head = terminating.get(10, TimeUnit.SECONDS);
        assertThat(s.lifecycle()).isEqualTo(SessionState.ARCHIVED);
        assertThat(s.terminate()).isEqualTo(head);

        List<AuditRecord> records = VerifiedTrail.read(dir);
        List<String> shape = new ArrayList<>();
        for (AuditRecord r : records.subList(1, records.size())) {
            shape.add(r.type() == RecordType.SESSION_EVENT ? r.sessionEvent().name()
                    : r.type().name() + (r.type().isDecision() ? ":" + r.methodName() : ""));
        }
        assertThat(shape).containsExactly("CREATED", "JOINED", "CALL_ALLOWED:slow", "CALL_DENIED:late",
                "CALL_RETURNED", "TERMINATED");
    }

    @Test
    void terminateFromInsideTheSessionIsRefusedInsteadOfWaitingForItself() {
        Session s = hv.createSession(SessionConfig.defaults());
        assertThatThrownBy(() -> s.execute("anon", "tool_call", "quit", 2, s::terminate))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait for itself");
        assertThat(s.lifecycle()).isEqualTo(SessionState.ACTIVE);
    }

    @Test
    void manyConcurrentActionsAreEachRecordedOnceWithTheSessionId() throws Exception {
        Session s = hv.createSession(SessionConfig.defaults());
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    s.execute("anon", "tool_call", "t" + thread, 2, () -> "ok");
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        s.terminate();
        List<AuditRecord> records = VerifiedTrail.read(dir);
        assertThat(records.stream().filter(r -> r.type() == RecordType.CALL_ALLOWED)).hasSize(1600)
                .allSatisfy(r -> assertThat(r.sessionId()).isEqualTo(s.id()));
        assertThat(records.stream().filter(r -> r.type() == RecordType.CALL_RETURNED)).hasSize(1600)
                .allSatisfy(r -> assertThat(r.sessionId()).isEqualTo(s.id()));
    }

    @Test
    void outcomesOfActionsCarryTheSessionIdThoughItIsNoLongerBoundWhenTheyAreRecorded() throws Exception {
        Session s = hv.createSession(SessionConfig.defaults());
        assertThat(s.execute("anon", "tool_call", "ok", 2, () -> "done")).isEqualTo("done");
        assertThatThrownBy(() -> s.execute("anon", "tool_call", "fails", 2, () -> {
            throw new java.io.IOException("disk");
        })).isInstanceOf(java.io.IOException.class);

        List<AuditRecord> outcomes = VerifiedTrail.read(dir).stream().filter(r -> r.type().isOutcome()).toList();
        assertThat(outcomes).extracting(AuditRecord::type)
                .containsExactly(RecordType.CALL_RETURNED, RecordType.CALL_THREW);
        assertThat(outcomes).extracting(AuditRecord::sessionId).containsOnly(s.id());
        assertThat(outcomes.get(1).exceptionClass()).isEqualTo("java.io.IOException");
    }

    private long events(String sessionId, SessionEvent event) throws Exception {
        return VerifiedTrail.read(dir).stream().filter(r -> r.type() == RecordType.SESSION_EVENT
                && r.sessionEvent() == event && r.sessionId().equals(sessionId)).count();
    }
}
