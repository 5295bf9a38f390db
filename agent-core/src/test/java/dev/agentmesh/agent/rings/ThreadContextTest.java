package dev.agentmesh.agent.rings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.api.AgentContext;
import org.junit.jupiter.api.Test;

/** {@link ThreadContext} reads what {@link AgentContext} holds for this thread. */
class ThreadContextTest {

    @Test
    void readsTheAgentInContextAndNothingOutsideAScope() {
        assertThat(ThreadContext.agentId()).isNull();
        assertThat(ThreadContext.session()).isNull();
        try (AgentContext.Scope outer = AgentContext.enter("planner")) {
            try (AgentContext.Scope inner = AgentContext.enter("worker")) {
                assertThat(ThreadContext.agentId()).isEqualTo("worker");
            }
            assertThat(ThreadContext.agentId()).isEqualTo("planner");
        }
        assertThat(ThreadContext.agentId()).isNull();
    }
}
