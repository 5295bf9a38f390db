package dev.agentmesh.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link AgentContext} on its own, without the agent: scopes nest, restore, and stay on their thread. */
class AgentContextTest {

    @Test
    void noAgentIsInContextByDefault() {
        assertThat(AgentContext.currentAgent()).isEmpty();
    }

    @Test
    void scopesNestAndRestoreTheOuterIdentityOnClose() {
        try (AgentContext.Scope outer = AgentContext.enter("outer")) {
            assertThat(AgentContext.currentAgent()).contains("outer");
            try (AgentContext.Scope inner = AgentContext.enter("inner")) {
                assertThat(inner.agentId()).isEqualTo("inner");
                assertThat(AgentContext.currentAgent()).contains("inner");
            }
            assertThat(AgentContext.currentAgent()).contains("outer");
        }
        assertThat(AgentContext.currentAgent()).isEmpty();
    }

    @Test
    void anAgentEnteredInsideAnothersScopeActsOnItsBehalf() throws Exception {
        assertThat(AgentContext.onBehalfOf()).isEmpty();
        try (AgentContext.Scope o = AgentContext.enter("orchestrator")) {
            assertThat(AgentContext.onBehalfOf()).isEmpty();
            try (AgentContext.Scope l = AgentContext.enter("lead")) {
                assertThat(AgentContext.onBehalfOf()).containsExactly("orchestrator");
                try (AgentContext.Scope same = AgentContext.enter("lead")) {
                    assertThat(AgentContext.onBehalfOf()).as("re-entering itself delegates nothing")
                            .containsExactly("orchestrator");
                }
                try (AgentContext.Scope w = AgentContext.enter("worker")) {
                    assertThat(AgentContext.onBehalfOf()).containsExactly("lead", "orchestrator");
                    AgentContext.Snapshot snapshot = AgentContext.capture();
                    CompletableFuture<java.util.List<String>> elsewhere = new CompletableFuture<>();
                    Runnable report = () -> elsewhere.complete(AgentContext.onBehalfOf());
                    Thread t = new Thread(snapshot.wrap(report));
                    t.start();
                    assertThat(elsewhere.get()).as("the chain travels with the identity")
                            .containsExactly("lead", "orchestrator");
                }
                assertThat(AgentContext.onBehalfOf()).containsExactly("orchestrator");
            }
        }
        assertThat(AgentContext.onBehalfOf()).isEmpty();
    }

    @Test
    void theChainIsCappedAtItsNearestPrincipals() {
        java.util.Deque<AgentContext.Scope> scopes = new java.util.ArrayDeque<>();
        for (int i = 0; i < 20; i++) {
            scopes.push(AgentContext.enter("a" + i));
        }
        assertThat(AgentContext.onBehalfOf()).hasSize(AgentContext.MAX_CHAIN).startsWith("a18", "a17");
        while (!scopes.isEmpty()) {
            scopes.pop().close();
        }
    }

    @Test
    void runAsReturnsTheResultAndRestoresEvenWhenTheActionThrows() throws Exception {
        assertThat(AgentContext.runAs("a", () -> AgentContext.currentAgent().orElseThrow())).isEqualTo("a");
        assertThatThrownBy(() -> AgentContext.runAs("b", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(AgentContext.currentAgent()).isEmpty();

        AtomicReference<Optional<String>> seen = new AtomicReference<>();
        AgentContext.runAs("c", () -> seen.set(AgentContext.currentAgent()));
        assertThat(seen.get()).contains("c");
        assertThat(AgentContext.currentAgent()).isEmpty();
    }

    @Test
    void blankOrNullAgentIdsAreRejected() {
        assertThatThrownBy(() -> AgentContext.enter(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentContext.enter(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentContext.runAs("", () -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThat(AgentContext.currentAgent()).isEmpty();
    }

    @Test
    void identityIsPerThread() throws Exception {
        try (AgentContext.Scope s = AgentContext.enter("main-agent")) {
            Optional<String> elsewhere = CompletableFuture.supplyAsync(AgentContext::currentAgent).get();
            assertThat(elsewhere).isEmpty();
        }
    }

    @Test
    void closingOnAnotherThreadOrOutOfOrderIsRefused() throws Exception {
        AgentContext.Scope outer = AgentContext.enter("outer");
        AgentContext.Scope inner = AgentContext.enter("inner");
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inner scope is still open");
        Throwable onOtherThread = CompletableFuture.supplyAsync(() -> {
            try {
                inner.close();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }).get();
        assertThat(onOtherThread).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed on the thread that entered it");
        inner.close();
        inner.close(); // twice is a no-op
        assertThat(AgentContext.currentAgent()).contains("outer");
        outer.close();
        assertThat(AgentContext.currentAgent()).isEmpty();
    }
}
