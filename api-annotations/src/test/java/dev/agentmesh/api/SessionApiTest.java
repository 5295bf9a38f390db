package dev.agentmesh.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The session API's own rules, without the agent: configuration, ids, and what runAs binds. */
class SessionApiTest {

    @Test
    void configDefaultsAndBuilderChecks() {
        SessionConfig d = SessionConfig.defaults();
        assertThat(d.consistencyMode()).isEqualTo(ConsistencyMode.EVENTUAL);
        assertThat(d.maxParticipants()).isEqualTo(10);
        assertThat(d.maxDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(d).isEqualTo(SessionConfig.builder().build()).hasSameHashCodeAs(SessionConfig.builder().build());
        SessionConfig c = SessionConfig.builder().consistencyMode(ConsistencyMode.CAUSAL).maxParticipants(1000)
                .maxDuration(Duration.ofDays(7)).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c).hasToString("CAUSAL, max 1000 participants, max PT168H");

        assertThatThrownBy(() -> SessionConfig.builder().maxParticipants(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxParticipants must be 1..1000, got 0");
        assertThatThrownBy(() -> SessionConfig.builder().maxParticipants(1001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().maxDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 ms to 7 days");
        assertThatThrownBy(() -> SessionConfig.builder().maxDuration(Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().maxDuration(null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().consistencyMode(null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsAreLettersDigitsAndDotUnderscoreColonDashUpTo256() {
        assertThat(Ids.require("agentId", "researcher-1")).isEqualTo("researcher-1");
        assertThat(Ids.require("agentId", "did:web:acme.example_7")).isNotNull();
        assertThat(Ids.require("agentId", "agént-漢")).as("letters are Unicode letters").isNotNull();
        assertThat(Ids.require("agentId", "a".repeat(256))).hasSize(256);

        assertThatThrownBy(() -> Ids.require("agentId", null)).hasMessage("agentId must not be null");
        assertThatThrownBy(() -> Ids.require("agentId", "  ")).hasMessage("agentId must not be blank");
        assertThatThrownBy(() -> Ids.require("agentId", "a".repeat(257)))
                .hasMessage("agentId is 257 characters long; at most 256 are allowed");
        assertThatThrownBy(() -> Ids.require("sessionId", "s/1"))
                .hasMessage("sessionId 's/1' has the character '/' at index 1; use letters, digits and . _ : - only");
        assertThatThrownBy(() -> Ids.require("agentId", "a\nb"))
                .hasMessage("agentId 'a?b' has the character U+000A at index 1; use letters, digits and . _ : - only");
        for (String bad : new String[] {"a b", "a@b", "a,b", "a;b", "a\"b", "a\u0000b", "a\u202eb"}) {
            assertThatThrownBy(() -> Ids.require("agentId", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> AgentContext.enter("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ids.requireRing(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ids.requireRing(4)).hasMessageStartingWith("ring must be 0..3");
        assertThat(Ids.requireRing(0)).isZero();
    }

    @Test
    void anIdThatMixesScriptsWithinAPartIsRefusedSoItCannotPassForAnother() {
        // A Cyrillic а (U+0430) in a Latin name: the look-alike of "ops-admin".
        assertThatThrownBy(() -> Ids.require("agentId", "ops-\u0430dmin")).hasMessage("agentId 'ops-\u0430dmin' mixes "
                + "scripts: '\u0430' at index 4 is CYRILLIC, after [LATIN]; an id's letters must be of one script, "
                + "so that it cannot pass for another id");
        assertThatThrownBy(() -> Ids.require("agentId", "adm\u0456n")).as("a Cyrillic і")
                .hasMessageContaining("mixes scripts");
        assertThatThrownBy(() -> Ids.require("agentId", "p\u0430ypal-\u03bfps")).hasMessageContaining("mixes scripts");
        assertThatThrownBy(() -> AgentContext.enter("r\u043eot")).hasMessageContaining("mixes scripts");

        assertThat(Ids.require("agentId", "mcp-client:\u0418\u0432\u0430\u043d")).as("one script per part").isNotNull();
        assertThat(Ids.require("agentId", "\u0430\u0441\u0435")).as("wholly Cyrillic").isNotNull();
        assertThat(Ids.require("agentId", "tanaka-\u7530\u4e2d\u3055\u3093-\u30ab\u30ca")).as("Latin, Han, kana")
                .isNotNull();
        assertThat(Ids.require("agentId", "kim-\uae40\u6f22")).as("Latin, Hangul, Han").isNotNull();
    }

    @Test
    void anyNameBecomesAnIdThatIsAccepted() {
        assertThat(Ids.toId("ada@example.com")).isEqualTo("ada_example.com");
        assertThat(Ids.toId("ops-\u0430dmin")).isEqualTo("ops-_dmin");
        assertThat(Ids.toId("mcp-client:\u0418\u0432\u0430\u043d")).isEqualTo("mcp-client:\u0418\u0432\u0430\u043d");
        assertThat(Ids.toId("")).isEqualTo("_");
        assertThat(Ids.toId("line\nbreak\u0000\u202e")).isEqualTo("line_break__");
        assertThat(Ids.toId("x".repeat(100_000))).hasSize(Ids.MAX_LENGTH);
        java.util.Random random = new java.util.Random(9);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = random.nextInt(300); n > 0; n--) {
                int c = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(Character.MAX_CODE_POINT + 1);
                if (Character.isValidCodePoint(c) && !(c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                    name.appendCodePoint(c);
                }
            }
            String id = Ids.toId(name.toString());
            assertThat(Ids.require("agentId", id)).as("from %s", name).isEqualTo(id);
        }
    }

    @Test
    void hypervisorGetWithoutTheAgentSaysHowToAttachIt() {
        assertThatThrownBy(Hypervisor::get).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no AgentMesh hypervisor in this JVM: start it with -javaagent:");
    }

    @Test
    void runAsBindsAgentAndSessionAndInnerScopesKeepTheSession() throws Exception {
        StubSession s = new StubSession();
        String seen = s.runAs("alice", () -> {
            String outer = AgentContext.currentAgent().orElseThrow() + "@" + AgentContext.currentSession()
                    .orElseThrow().id();
            try (AgentContext.Scope inner = AgentContext.enter("bob")) {
                return outer + " " + AgentContext.currentAgent().orElseThrow() + "@"
                        + AgentContext.currentSession().orElseThrow().id();
            }
        });
        assertThat(seen).isEqualTo("alice@stub bob@stub");
        assertThat(s.admitted).isEqualTo("alice");
        assertThat(AgentContext.currentAgent()).isEmpty();
        assertThat(AgentContext.currentSession()).isEmpty();
    }

    @Test
    void runAsRethrowsTheBodysCheckedExceptionUnchanged() {
        java.io.IOException failure = new java.io.IOException("disk");
        assertThatThrownBy(() -> new StubSession().runAs("alice", () -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(AgentContext.currentSession()).isEmpty();
    }

    @Test
    void runAsDoesNotBindWhenAdmissionFails() {
        StubSession s = new StubSession();
        s.refuse = true;
        assertThatThrownBy(() -> s.runAs("alice", () -> "ran")).isInstanceOf(SessionClosedException.class);
        assertThat(AgentContext.currentAgent()).isEmpty();
    }

    /** The smallest Session: records who was admitted. */
    private static final class StubSession extends Session {
        String admitted;
        boolean refuse;

        @Override
        public String id() {
            return "stub";
        }

        @Override
        public SessionConfig config() {
            return SessionConfig.defaults();
        }

        @Override
        public SessionState lifecycle() {
            return SessionState.ACTIVE;
        }

        @Override
        public Set<String> participants() {
            return Set.of();
        }

        @Override
        public Saga saga(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SharedState state() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void join(String agentId) {
        }

        @Override
        public void leave(String agentId) {
        }

        @Override
        public <T> T execute(String agentId, String actionType, String actionName, int requiredRing,
                GovernedAction<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> CompletableFuture<T> executeAsync(String agentId, String actionType, String actionName,
                int requiredRing, GovernedAction<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SessionCheckpoint checkpoint(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restore(SessionCheckpoint checkpoint) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String terminate() {
            return "";
        }

        @Override
        protected void admit(String agentId) {
            if (refuse) {
                throw new SessionClosedException("stub", "closed");
            }
            admitted = agentId;
        }
    }
}
