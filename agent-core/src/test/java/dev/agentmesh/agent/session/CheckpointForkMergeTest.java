package dev.agentmesh.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.api.ConsistencyMode;
import dev.agentmesh.api.MergeConflict;
import dev.agentmesh.api.MergeResult;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionCheckpoint;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.SharedState;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SessionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checkpoint, restore, fork and three-way merge, in every consistency mode, against a real trail. */
class CheckpointForkMergeTest {

    @TempDir
    Path dir;

    private AuditTrail trail;
    private AgentHypervisor hv;

    @BeforeEach
    void setUp() {
        Policy policy = Policy.builder().defaultRing(2).defaultAgent("anon").source("p.yaml").digest(new byte[32])
                .build();
        trail = new AuditTrail(dir, new GenesisInfo("w", new byte[32], "p.yaml"), 10_000);
        trail.open();
        hv = new AgentHypervisor(new RingGovernor(policy, new MethodRegistry(), trail, false), trail);
    }

    @AfterEach
    void tearDown() {
        trail.close();
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void restoreRollsTheStateBackAndIsRecorded(ConsistencyMode mode) throws Exception {
        Session s = hv.createSession(config(mode));
        s.state().put("alice", "plan", "v1");
        s.state().put("alice", "notes", "n1");
        settle();
        SessionCheckpoint cp = s.checkpoint("before-edits");
        assertThat(cp.state()).isEqualTo(Map.of("notes", List.of("n1"), "plan", List.of("v1")));
        assertThat(cp.participants()).containsExactly("alice");

        s.state().put("alice", "plan", "v2");
        s.state().put("alice", "extra", "x");
        s.state().put("bob", "notes", "n2");
        settle();
        s.restore(cp);

        assertThat(view(s.state(), "alice")).isEqualTo(Map.of("notes", "n1", "plan", "v1"));
        assertThat(view(s.state(), "bob")).isEqualTo(Map.of("notes", "n1", "plan", "v1"));
        settle();
        assertThat(view(s.state(), "bob")).as("no late copy of an undone write comes back")
                .isEqualTo(Map.of("notes", "n1", "plan", "v1"));
        List<AuditRecord> records = VerifiedTrail.read(dir);
        AuditRecord checkpoint = only(records, SessionEvent.CHECKPOINT);
        assertThat(checkpoint.seq()).isEqualTo(cp.auditSeq());
        assertThat(only(records, SessionEvent.RESTORED).detail()).startsWith("checkpoint before-edits (seq "
                + cp.auditSeq());
        assertThat(records).filteredOn(r -> r.sessionEvent() == SessionEvent.STATE_WRITE && r.agentId().isEmpty())
                .extracting(AuditRecord::detail).anySatisfy(d -> assertThat(d).startsWith("key extra removed"));
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void aForkStartsFromTheCheckpointAndNeverTouchesTheOriginal(ConsistencyMode mode) throws Exception {
        Session s = hv.createSession(config(mode));
        s.state().put("alice", "plan", "v1");
        settle();
        SessionCheckpoint cp = s.checkpoint("fork-point");
        s.state().put("alice", "plan", "v2-original");
        Session fork = hv.fork(s, cp);
        assertThat(fork.participants()).containsExactly("alice");
        assertThat(fork.state().get("alice", "plan")).contains("v1");
        fork.state().put("alice", "plan", "v2-fork");
        settle();
        assertThat(s.state().get("alice", "plan")).contains("v2-original");
        assertThat(fork.state().get("alice", "plan")).contains("v2-fork");
        assertThatThrownBy(() -> hv.fork(fork, cp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was not made by session " + fork.id());
        assertThatThrownBy(() -> s.restore(new SessionCheckpoint("forged", s.id(), Map.of(), java.util.Set.of(), 0,
                ""))).isInstanceOf(IllegalArgumentException.class);
        List<AuditRecord> records = VerifiedTrail.read(dir);
        assertThat(only(records, SessionEvent.FORKED).detail()).isEqualTo("forked into " + fork.id()
                + " at checkpoint fork-point");
        assertThat(records).filteredOn(r -> r.sessionEvent() == SessionEvent.CREATED && r.sessionId()
                .equals(fork.id())).singleElement().extracting(AuditRecord::detail).asString()
                .endsWith("forked from " + s.id() + " at checkpoint fork-point");
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void mergeTakesWhatOnlyTheForkChangedAndReportsEveryConflict(ConsistencyMode mode) throws Exception {
        Session s = hv.createSession(config(mode));
        s.state().put("alice", "shared", "base");
        s.state().put("alice", "mine", "base");
        s.state().put("alice", "theirs", "base");
        s.state().put("alice", "gone", "base");
        settle();
        SessionCheckpoint cp = s.checkpoint("base");
        Session fork = hv.fork(s, cp);
        s.state().put("alice", "shared", "ours");
        s.state().put("alice", "mine", "ours");
        fork.state().put("alice", "shared", "theirs");
        fork.state().put("alice", "theirs", "theirs");
        fork.state().put("alice", "new", "theirs");
        settle();

        MergeResult result = hv.merge(fork, s, c -> c.ours().get(0) + "|" + c.theirs().get(0));

        assertThat(result.taken()).containsExactly("new", "theirs");
        assertThat(result.conflicts()).containsExactly(new MergeConflict("shared", List.of("base"), List.of("ours"),
                List.of("theirs"), "ours|theirs"));
        settle();
        assertThat(view(s.state(), "bob")).isEqualTo(Map.of("gone", "base", "mine", "ours", "new", "theirs",
                "shared", "ours|theirs", "theirs", "theirs"));
        List<AuditRecord> records = VerifiedTrail.read(dir);
        assertThat(records).filteredOn(r -> r.sessionEvent() == SessionEvent.MERGED).extracting(AuditRecord::sessionId)
                .containsExactly(s.id(), fork.id());
        assertThat(result.auditHash()).hasSize(64);

        MergeResult kept = hv.merge(fork, s);
        assertThat(kept.conflicts()).as("a second merge finds the same conflict, and keeps ours by default")
                .extracting(MergeConflict::key, MergeConflict::resolution).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("shared", "ours|theirs"));
        assertThatThrownBy(() -> hv.merge(s, fork)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was not forked from");
    }

    private static AuditRecord only(List<AuditRecord> records, SessionEvent event) {
        return records.stream().filter(r -> r.type() == RecordType.SESSION_EVENT && r.sessionEvent() == event)
                .reduce((a, b) -> {
                    throw new AssertionError("more than one " + event);
                }).orElseThrow(() -> new AssertionError("no " + event));
    }

    private static Map<String, String> view(SharedState state, String agent) {
        Map<String, String> out = new TreeMap<>();
        for (String key : state.keys(agent)) {
            out.put(key, state.get(agent, key).orElseThrow());
        }
        return out;
    }

    /** Lets EVENTUAL replicas converge (twice their 20 ms bound); a no-op wait for the other modes. */
    private static void settle() throws InterruptedException {
        Thread.sleep(40);
    }

    private static SessionConfig config(ConsistencyMode mode) {
        return SessionConfig.builder().consistencyMode(mode).convergenceBound(Duration.ofMillis(20)).build();
    }
}
