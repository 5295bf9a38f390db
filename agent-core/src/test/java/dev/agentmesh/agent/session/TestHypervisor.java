package dev.agentmesh.agent.session;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.weave.MethodRegistry;
import java.nio.file.Path;

/**
 * Test helper: the agent's hypervisor over a real trail in a directory, as the agent wires them, for a policy built
 * in the test (its source and digest filled in here). Close it to close the trail.
 */
public final class TestHypervisor implements AutoCloseable {

    /** The open trail. */
    public final AuditTrail trail;
    /** The hypervisor, with its governor. */
    public final AgentHypervisor hv;

    private TestHypervisor(AuditTrail trail, AgentHypervisor hv) {
        this.trail = trail;
        this.hv = hv;
    }

    /**
     * @param dir the audit directory
     * @param policy the policy so far
     * @return the hypervisor over a freshly opened trail
     */
    public static TestHypervisor open(Path dir, Policy.Builder policy) {
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo("w", new byte[32], "p.yaml"), 10_000);
        trail.open();
        Policy built = policy.source("p.yaml").digest(new byte[32]).build();
        return new TestHypervisor(trail, new AgentHypervisor(new RingGovernor(built, new MethodRegistry(), trail,
                false), trail));
    }

    @Override
    public void close() {
        trail.close();
    }
}
