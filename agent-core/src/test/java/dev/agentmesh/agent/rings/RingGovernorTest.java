package dev.agentmesh.agent.rings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RingGovernor} called directly, as woven code would call it through the bootstrap bridge: decisions by
 * ring, write-ahead records, outcomes, and failing closed.
 */
class RingGovernorTest {

    private static final String TOOLS = "com.acme.Tools";
    private static final byte[] POLICY_DIGEST = new byte[32];

    static {
        Arrays.fill(POLICY_DIGEST, (byte) 7);
    }

    @TempDir
    Path tmp;

    private Path dir;
    private final Policy policy = Policy.builder().defaultRing(3).defaultAgent("anon").agent("ops", 1)
            .agent("researcher", 2).agent("root", 0).source("test-policy.yaml").digest(POLICY_DIGEST).build();
    private final MethodRegistry methods = new MethodRegistry();
    private final List<AuditTrail> trails = new ArrayList<>();
    private AuditTrail trail;
    private long read;     // requires ring 3
    private long search;   // requires ring 2
    private long deploy;   // requires ring 1
    private long wipe;     // requires ring 0

    @BeforeEach
    void setUp() {
        read = methods.token(methods.register(TOOLS, "read", "(Ljava/lang/String;)Ljava/lang/String;", 3));
        search = methods.token(methods.register(TOOLS, "search", "(Ljava/lang/String;I)Ljava/util/List;", 2));
        deploy = methods.token(methods.register(TOOLS, "deploy", "()V", 1));
        wipe = methods.token(methods.register(TOOLS, "wipe", "()V", 0));
        dir = tmp.resolve("audit");
        trail = openTrail(dir);
    }

    @AfterEach
    void closeTrails() {
        trails.forEach(AuditTrail::close);
    }

    private AuditTrail openTrail(Path at) {
        AuditTrail t = new AuditTrail(at, new GenesisInfo("writer-x", policy.digest(), policy.source()), 5_000);
        trails.add(t);
        t.open();
        return t;
    }

    private RingGovernor governor(boolean denyStackTrace) {
        return new RingGovernor(policy, methods, trail, denyStackTrace);
    }

    private List<AuditRecord> records() throws Exception {
        return VerifiedTrail.read(dir);
    }

    /** Every record after this run's GENESIS. */
    private List<AuditRecord> afterGenesis() throws Exception {
        List<AuditRecord> all = records();
        assertThat(all.get(0).type()).isEqualTo(RecordType.GENESIS);
        return all.subList(1, all.size());
    }

    private AuditRecord last() throws Exception {
        List<AuditRecord> all = records();
        return all.get(all.size() - 1);
    }

    // ---- allowed calls ----

    @Test
    void anAllowedCallReturnsTheSeqOfItsAllowRecord() throws Exception {
        RingGovernor governor = governor(false);
        Object[] args = {"query", 5};

        long seq;
        try (AgentContext.Scope s = AgentContext.enter("researcher")) {
            seq = governor.enter(search, args);
        }

        List<AuditRecord> records = records();
        assertThat(records).hasSize(2);
        AuditRecord allow = records.get((int) seq);
        assertThat(seq).isEqualTo(1);
        assertThat(allow.type()).isEqualTo(RecordType.CALL_ALLOWED);
        assertThat(allow.decision()).isEqualTo("ALLOW");
        assertThat(allow.agentId()).isEqualTo("researcher");
        assertThat(allow.agentRing()).isEqualTo(2);
        assertThat(allow.requiredRing()).isEqualTo(2);
        assertThat(allow.className()).isEqualTo(TOOLS);
        assertThat(allow.methodName()).isEqualTo("search");
        assertThat(allow.descriptor()).isEqualTo("(Ljava/lang/String;I)Ljava/util/List;");
        assertThat(allow.sessionId()).isEmpty();
        assertThat(allow.argsDigest()).isEqualTo(new ArgumentDigest().digest(args))
                .isNotEqualTo(new ArgumentDigest().digest("query", 6));
        AuditRecord genesis = records.get(0);
        assertThat(genesis.type()).isEqualTo(RecordType.GENESIS);
        assertThat(genesis.writerId()).isEqualTo("writer-x");
        assertThat(genesis.policySource()).isEqualTo("test-policy.yaml");
        assertThat(genesis.policyDigest()).isEqualTo(POLICY_DIGEST);
    }

    @Test
    void anAgentMayCallMethodsRequiringItsRingOrALessPrivilegedOne() throws Exception {
        RingGovernor governor = governor(false);
        try (AgentContext.Scope s = AgentContext.enter("ops")) {
            assertThat(governor.enter(deploy, null)).isEqualTo(1);
            assertThat(governor.enter(search, new Object[] {"q", 1})).isEqualTo(2);
            assertThat(governor.enter(read, new Object[] {"f"})).isEqualTo(3);
        }
        try (AgentContext.Scope s = AgentContext.enter("root")) {
            assertThat(governor.enter(wipe, new Object[0])).isEqualTo(4);
        }
        assertThat(records()).extracting(AuditRecord::type).containsExactly(RecordType.GENESIS,
                RecordType.CALL_ALLOWED, RecordType.CALL_ALLOWED, RecordType.CALL_ALLOWED, RecordType.CALL_ALLOWED);
    }

    // ---- denied calls ----

    @Test
    void aDeniedCallThrowsNamingAgentRingMethodAndRequiredRingWithoutAStackTrace() throws Exception {
        RingGovernor governor = governor(false);

        Throwable t;
        try (AgentContext.Scope s = AgentContext.enter("researcher")) {
            t = catchThrowable(() -> governor.enter(deploy, new Object[0]));
        }

        assertThat(t).isInstanceOf(RingViolationException.class);
        RingViolationException e = (RingViolationException) t;
        assertThat(e.getMessage()).isEqualTo(
                "agent 'researcher' (ring 2) may not call com.acme.Tools#deploy()V, which requires ring 1");
        assertThat(e.agentId()).isEqualTo("researcher");
        assertThat(e.agentRing()).isEqualTo(2);
        assertThat(e.method()).isEqualTo("com.acme.Tools#deploy()V");
        assertThat(e.requiredRing()).isEqualTo(1);
        assertThat(e.getStackTrace()).as("cheap denials by default").isEmpty();
    }

    @Test
    void denyStackTraceFillsTheTraceIn() {
        RingGovernor governor = governor(true);

        Throwable t;
        try (AgentContext.Scope s = AgentContext.enter("researcher")) {
            t = catchThrowable(() -> governor.enter(wipe, null));
        }

        assertThat(t).isInstanceOf(RingViolationException.class);
        assertThat(t.getStackTrace()).isNotEmpty();
        assertThat(Arrays.stream(t.getStackTrace()).map(StackTraceElement::getClassName))
                .contains(RingGovernor.class.getName());
    }

    @Test
    void theDenyRecordIsOnTheTrailBeforeTheDenialIsThrown() throws Exception {
        List<AuditRecord> seenAtThrow = new ArrayList<>();
        RingGovernor governor = governor(false);

        try (AgentContext.Scope s = AgentContext.enter("researcher")) {
            governor.enter(wipe, new Object[] {"everything"});
        } catch (RingViolationException e) {
            // read the trail from the catch block: nothing after the governor threw may have written it
            seenAtThrow.addAll(records());
        }

        assertThat(seenAtThrow).hasSize(2);
        AuditRecord deny = seenAtThrow.get(1);
        assertThat(deny.type()).isEqualTo(RecordType.CALL_DENIED);
        assertThat(deny.decision()).isEqualTo("DENY");
        assertThat(deny.agentId()).isEqualTo("researcher");
        assertThat(deny.agentRing()).isEqualTo(2);
        assertThat(deny.requiredRing()).isZero();
        assertThat(deny.methodName()).isEqualTo("wipe");
        assertThat(deny.descriptor()).isEqualTo("()V");
        assertThat(deny.argsDigest()).isEqualTo(new ArgumentDigest().digest("everything"));
    }

    // ---- who the caller is ----

    @Test
    void withNoAgentInContextThePoliciesDefaultAgentIsUsed() throws Exception {
        RingGovernor governor = governor(false);
        assertThat(AgentContext.currentAgent()).isEmpty();

        governor.enter(read, new Object[] {"f"});
        RingViolationException e = (RingViolationException) catchThrowable(() -> governor.enter(search, null));

        assertThat(e.agentId()).isEqualTo("anon");
        assertThat(e.agentRing()).isEqualTo(3);
        assertThat(afterGenesis()).extracting(AuditRecord::agentId, AuditRecord::agentRing, AuditRecord::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("anon", 3, RecordType.CALL_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("anon", 3, RecordType.CALL_DENIED));
    }

    @Test
    void theDefaultAgentGetsItsListedRingIfThePolicyListsIt() throws Exception {
        Policy listed = Policy.builder().defaultRing(3).defaultAgent("service").agent("service", 1).build();
        RingGovernor governor = new RingGovernor(listed, methods, trail, false);

        assertThat(governor.enter(deploy, null)).isEqualTo(1);

        assertThat(last().agentId()).isEqualTo("service");
        assertThat(last().agentRing()).isEqualTo(1);
    }

    @Test
    void anUnknownAgentGetsTheDefaultRing() throws Exception {
        RingGovernor governor = governor(false);

        try (AgentContext.Scope s = AgentContext.enter("stranger")) {
            governor.enter(read, null);
            assertThatThrownBy(() -> governor.enter(search, null)).isInstanceOf(RingViolationException.class)
                    .hasMessageContaining("agent 'stranger' (ring 3)");
        }

        assertThat(afterGenesis()).extracting(AuditRecord::agentId, AuditRecord::agentRing)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("stranger", 3));
    }

    @Test
    void nestedScopesAreAttributedToTheInnermostAgent() throws Exception {
        RingGovernor governor = governor(false);

        try (AgentContext.Scope outer = AgentContext.enter("ops")) {
            try (AgentContext.Scope inner = AgentContext.enter("researcher")) {
                assertThatThrownBy(() -> governor.enter(deploy, null)).isInstanceOf(RingViolationException.class);
            }
            governor.enter(deploy, null);
        }

        assertThat(afterGenesis()).extracting(AuditRecord::agentId).containsExactly("researcher", "ops");
    }

    @Test
    void aDelegateNeverHoldsABetterRingThanTheAgentItActsFor() throws Exception {
        RingGovernor governor = governor(false);

        // ops (ring 1) may deploy; entered inside the ring-2 researcher's scope, it acts for the researcher.
        try (AgentContext.Scope outer = AgentContext.enter("researcher")) {
            try (AgentContext.Scope inner = AgentContext.enter("ops")) {
                assertThatThrownBy(() -> governor.enter(deploy, null)).isInstanceOf(RingViolationException.class);
            }
        }
        try (AgentContext.Scope alone = AgentContext.enter("ops")) {
            governor.enter(deploy, null);
        }

        assertThat(afterGenesis()).extracting(r -> r.type() + " " + r.agentId() + " ring " + r.agentRing()
                + " for " + r.onBehalfOf()).containsExactly(
                "CALL_DENIED ops ring 2 for researcher",
                "CALL_ALLOWED ops ring 1 for ");
    }

    @Test
    void theSameAgentIsDecidedTheSameWayOnEveryCall() throws Exception {
        // exercises the identity cache: the second call must not see a different ring than the first
        RingGovernor governor = governor(false);
        try (AgentContext.Scope s = AgentContext.enter("ops")) {
            for (int i = 0; i < 3; i++) {
                governor.enter(deploy, null);
                assertThatThrownBy(() -> governor.enter(wipe, null)).isInstanceOf(RingViolationException.class);
            }
        }
        assertThat(afterGenesis()).extracting(AuditRecord::type).containsExactly(RecordType.CALL_ALLOWED,
                RecordType.CALL_DENIED, RecordType.CALL_ALLOWED, RecordType.CALL_DENIED, RecordType.CALL_ALLOWED,
                RecordType.CALL_DENIED);
    }

    // ---- outcomes ----

    @Test
    void exitRecordsReturnedAndThrewOutcomesClosingTheirCalls() throws Exception {
        RingGovernor governor = governor(false);
        long returnedCall;
        long threwCall;
        try (AgentContext.Scope s = AgentContext.enter("ops")) {
            returnedCall = governor.enter(search, new Object[] {"q", 1});
            long start = System.nanoTime();
            governor.exit(search, returnedCall, start, null);
            threwCall = governor.enter(deploy, null);
            governor.exit(deploy, threwCall, System.nanoTime(), new IOException("disk"));
        }

        List<AuditRecord> records = records();

        assertThat(records).extracting(AuditRecord::type).containsExactly(RecordType.GENESIS,
                RecordType.CALL_ALLOWED, RecordType.CALL_RETURNED, RecordType.CALL_ALLOWED, RecordType.CALL_THREW);
        AuditRecord returned = records.get(2);
        assertThat(returned.callSeq()).isEqualTo(returnedCall).isEqualTo(1);
        assertThat(returned.exceptionClass()).isEmpty();
        assertThat(returned.durationNanos()).isNotNegative();
        assertThat(returned.sessionId()).as("outside a session").isEmpty();
        AuditRecord threw = records.get(4);
        assertThat(threw.callSeq()).isEqualTo(threwCall).isEqualTo(3);
        assertThat(threw.exceptionClass()).isEqualTo("java.io.IOException");
        assertThat(threw.durationNanos()).isNotNegative();
        assertThat(threw.sessionId()).isEmpty();
    }

    @Test
    void exitRecordsTheSessionBoundOnTheThreadOnItsOutcome() throws Exception {
        RingGovernor governor = governor(false);
        Session session = new AgentHypervisor(governor, trail).createSession(SessionConfig.defaults());
        long[] calls = new long[2];
        session.runAs("ops", () -> {
            calls[0] = governor.enter(search, new Object[] {"q", 1});
            governor.exit(search, calls[0], System.nanoTime(), null);
            calls[1] = governor.enter(deploy, null);
            governor.exit(deploy, calls[1], System.nanoTime(), new IOException("disk"));
        });

        List<AuditRecord> outcomes = records().stream().filter(r -> r.type().isOutcome()).toList();
        assertThat(outcomes).extracting(AuditRecord::type)
                .containsExactly(RecordType.CALL_RETURNED, RecordType.CALL_THREW);
        assertThat(outcomes).extracting(AuditRecord::callSeq).containsExactly(calls[0], calls[1]);
        assertThat(outcomes).extracting(AuditRecord::sessionId).containsOnly(session.id());
    }

    @Test
    void completeRecordsTheSessionItIsGivenNotTheOneBound() throws Exception {
        RingGovernor governor = governor(false);
        AgentHypervisor hypervisor = new AgentHypervisor(governor, trail);
        Session given = hypervisor.createSession(SessionConfig.defaults());
        Session bound = hypervisor.createSession(SessionConfig.defaults());
        long seq = governor.enter(read, null);
        long other = governor.enter(read, null);
        bound.runAs("ops", () -> {
            governor.complete((SessionGate) given, seq, System.nanoTime(), null);
            governor.complete(null, other, System.nanoTime(), new IllegalStateException());
        });

        List<AuditRecord> outcomes = records().stream().filter(r -> r.type().isOutcome()).toList();
        assertThat(outcomes).extracting(AuditRecord::callSeq).containsExactly(seq, other);
        assertThat(outcomes.get(0).sessionId()).isEqualTo(given.id());
        assertThat(outcomes.get(1).sessionId()).as("null: outside a session").isEmpty();
    }

    @Test
    void outcomesOfInterleavedCallsCloseTheRightAllow() throws Exception {
        RingGovernor governor = governor(false);
        long outer = governor.enter(read, new Object[] {"a"});
        long inner = governor.enter(read, new Object[] {"b"});
        governor.exit(read, inner, System.nanoTime(), new IllegalStateException());
        governor.exit(read, outer, System.nanoTime(), null);

        List<AuditRecord> records = records();
        assertThat(records.get(3).callSeq()).isEqualTo(inner);
        assertThat(records.get(3).exceptionClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(records.get(4).callSeq()).isEqualTo(outer);
    }

    @Test
    void aWholeSessionVerifies() throws Exception {
        RingGovernor governor = governor(false);
        int calls = 0;
        for (String agent : List.of("root", "ops", "researcher", "stranger")) {
            try (AgentContext.Scope s = AgentContext.enter(agent)) {
                for (long method : new long[] {read, search, deploy, wipe}) {
                    try {
                        long seq = governor.enter(method, new Object[] {agent, method});
                        governor.exit(method, seq, System.nanoTime(), method == wipe ? new Error() : null);
                    } catch (RingViolationException denied) {
                        assertThat(denied.agentId()).isEqualTo(agent);
                    }
                    calls++;
                }
            }
        }

        List<AuditRecord> records = records();

        long allowed = records.stream().filter(r -> r.type() == RecordType.CALL_ALLOWED).count();
        long denied = records.stream().filter(r -> r.type() == RecordType.CALL_DENIED).count();
        long outcomes = records.stream().filter(r -> r.type().isOutcome()).count();
        // root 4 allowed, ops 3, researcher 2, stranger 1
        assertThat(allowed).isEqualTo(10);
        assertThat(denied).isEqualTo(calls - 10);
        assertThat(outcomes).isEqualTo(allowed);
        assertThat(records).hasSize(1 + calls + (int) allowed);
        for (AuditRecord r : records) {
            if (r.type().isDecision()) {
                assertThat(r.type() == RecordType.CALL_ALLOWED).as(r.toString())
                        .isEqualTo(r.agentRing() <= r.requiredRing());
            }
        }
    }

    // ---- failing closed ----

    @Test
    void anUnusableTrailMakesEnterThrowAndNeverReturn() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path unwritable = file.resolve("audit");
        trail = openTrail(unwritable);
        RingGovernor governor = governor(false);

        try (AgentContext.Scope s = AgentContext.enter("root")) {
            for (long method : new long[] {read, wipe}) {
                assertThatThrownBy(() -> governor.enter(method, null)).as("allowed by ring, but unrecordable")
                        .isInstanceOf(AuditUnavailableException.class)
                        .hasMessageContaining(unwritable.toAbsolutePath().toString());
            }
        }
        try (AgentContext.Scope s = AgentContext.enter("stranger")) {
            assertThatThrownBy(() -> governor.enter(wipe, null)).as("a denial that cannot be recorded")
                    .isInstanceOf(AuditUnavailableException.class);
        }
        assertThatCode(() -> governor.complete(null, 1, System.nanoTime(), null)).doesNotThrowAnyException();
    }

    @Test
    void exitNeverThrowsForItsOwnCallEvenWhenTheOutcomeCannotBeWritten() throws Exception {
        RingGovernor governor = governor(false);
        try (AgentContext.Scope s = AgentContext.enter("root")) {
            long outer = governor.enter(read, null);
            long inner = governor.enter(read, null);
            trail.close();
            assertThatCode(() -> governor.exit(read, inner, System.nanoTime(), new RuntimeException()))
                    .doesNotThrowAnyException();
            assertThatCode(() -> governor.exit(read, outer, System.nanoTime(), null)).doesNotThrowAnyException();
        }
    }

    @Test
    void aCallIsRecordedOnlyForATokenTheWeaverGave() throws Exception {
        RingGovernor governor = governor(false);
        long otherJvms = new MethodRegistry().token(methods.register(TOOLS, "wipe", "()V", 0));
        // The bridge is public: code calling it itself, with a bare id, a near guess or another run's token, records
        // nothing, however privileged the agent in context.
        long[] forged = {0, 1, 2, 3, -1, wipe ^ (1L << 40), wipe + 4, otherJvms};
        try (AgentContext.Scope s = AgentContext.enter("root")) {
            for (long token : forged) {
                for (java.util.concurrent.Callable<Long> call : java.util.List.<java.util.concurrent.Callable<Long>>of(
                        () -> governor.enter(token, null), () -> governor.enter0(token),
                        () -> governor.enter1(token, "a"), () -> governor.enter2(token, "a", "b"),
                        () -> governor.enter3(token, "a", "b", "c"))) {
                    assertThatThrownBy(call::call).as("token %d", token).isInstanceOf(SecurityException.class)
                            .isNotInstanceOf(RingViolationException.class)
                            .hasMessageEndingWith("was not woven by AgentMesh: only a governed call records itself");
                }
            }
            assertThat(afterGenesis()).isEmpty();
            governor.exit(wipe, governor.enter0(wipe), System.nanoTime(), null);
        }
        assertThat(afterGenesis()).extracting(AuditRecord::type)
                .containsExactly(RecordType.CALL_ALLOWED, RecordType.CALL_RETURNED);
    }

    @Test
    void anOutcomeIsWrittenOnlyByTheCallItBelongsTo() throws Exception {
        RingGovernor governor = governor(false);
        // On a thread of its own: other tests here leave calls entered on theirs, never exited.
        java.util.concurrent.ExecutorService fresh = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            fresh.submit(() -> {
                try (AgentContext.Scope s = AgentContext.enter("root")) {
                    long outer = governor.enter(read, null);
                    long inner = governor.enter(read, null);
                    // The bridge is public: code calling it directly cannot close another call, or one never made.
                    for (long other : new long[] {outer, inner + 1, 0}) {
                        assertThatThrownBy(() -> governor.exit(read, other, System.nanoTime(), null))
                                .isInstanceOf(SecurityException.class)
                                .hasMessage("call " + other + " is not the governed call running innermost on this "
                                        + "thread: only a call writes its own outcome");
                    }
                    governor.exit(read, inner, System.nanoTime(), null);
                    governor.exit(read, outer, System.nanoTime(), null);
                    assertThatThrownBy(() -> governor.exit(read, outer, System.nanoTime(), null)).as("twice")
                            .isInstanceOf(SecurityException.class);
                }
                return null;
            }).get();
        } finally {
            fresh.shutdown();
        }
        assertThat(afterGenesis()).extracting(AuditRecord::type).containsExactly(RecordType.CALL_ALLOWED,
                RecordType.CALL_ALLOWED, RecordType.CALL_RETURNED, RecordType.CALL_RETURNED);
    }

    @Test
    void aClosedTrailDeniesAndExitStaysQuiet() throws Exception {
        RingGovernor governor = governor(false);
        long seq = governor.enter(read, null);
        trail.close();

        assertThatThrownBy(() -> governor.enter(read, null)).isInstanceOf(AuditUnavailableException.class);
        assertThatCode(() -> governor.exit(read, seq, System.nanoTime(), null)).doesNotThrowAnyException();
        assertThat(records()).hasSize(2);
    }

    @Test
    void anInternalFaultDeniesWithAuditUnavailableInsteadOfRunningUnrecorded() throws Exception {
        RingGovernor governor = governor(false);
        // Sealed with this registry's key but never given out: refused before the registry is read.
        long unregistered = methods.token(methods.size() + 5); // inside the registry's array, but empty
        long outOfRange = methods.token(10_000);

        assertThatThrownBy(() -> governor.enter(unregistered, null)).isInstanceOf(SecurityException.class)
                .hasMessageContaining("was not woven");
        assertThatThrownBy(() -> governor.enter(outOfRange, null)).isInstanceOf(SecurityException.class)
                .hasMessageContaining("was not woven");
        assertThatThrownBy(() -> governor.enter(read, new Object[] {new BadCharSequence()}))
                .as("an argument that blows up while being digested")
                .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("could not govern");

        assertThat(records()).as("nothing was recorded for the failed calls").hasSize(1);
        // the governor is still usable afterwards
        assertThat(governor.enter(read, new Object[] {"ok"})).isEqualTo(1);
    }

    @Test
    void concurrentCallsFromManyAgentsAllLandOnOneVerifiedChain() throws Exception {
        RingGovernor governor = governor(false);
        int threads = 4;
        int perThread = 500;
        AtomicLong denials = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        String[] agents = {"root", "ops", "researcher", "stranger"};
        for (int t = 0; t < threads; t++) {
            String agent = agents[t];
            workers.add(new Thread(() -> {
                try (AgentContext.Scope s = AgentContext.enter(agent)) {
                    for (int i = 0; i < perThread; i++) {
                        long method = i % 2 == 0 ? read : deploy;
                        try {
                            long seq = governor.enter(method, new Object[] {i});
                            governor.exit(method, seq, System.nanoTime(), null);
                        } catch (RingViolationException e) {
                            denials.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join(30_000);
        }

        assertThat(failures).isEmpty();
        List<AuditRecord> records = records();
        // deploy (ring 1) is denied to researcher and stranger: half of their calls
        assertThat(denials.get()).isEqualTo(perThread);
        long decisions = records.stream().filter(r -> r.type().isDecision()).count();
        assertThat(decisions).isEqualTo((long) threads * perThread);
        assertThat(records).hasSize(1 + threads * perThread + (threads * perThread - perThread));
    }

    /** A CharSequence that fails when the digest reads it. */
    private static final class BadCharSequence implements CharSequence {
        @Override
        public int length() {
            throw new IllegalStateException("boom");
        }

        @Override
        public char charAt(int index) {
            throw new IllegalStateException("boom");
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            throw new IllegalStateException("boom");
        }
    }
}
