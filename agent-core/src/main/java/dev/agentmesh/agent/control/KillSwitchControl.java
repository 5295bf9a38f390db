package dev.agentmesh.agent.control;

import dev.agentmesh.agent.killswitch.KillSwitch;
import dev.agentmesh.agent.liability.Quarantines;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import java.time.Duration;
import dev.agentmesh.api.AgentStatus;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.api.KillTarget;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;

/** The {@link KillSwitchMXBean} over the agent's kill switch. */
public final class KillSwitchControl implements KillSwitchMXBean {

    /** Where it is registered. */
    public static final String OBJECT_NAME = "dev.agentmesh:type=KillSwitch";

    private final KillSwitch killSwitch;
    private final Quarantines quarantines;
    private final Supplier<List<AgentStatus>> agents;

    /**
     * @param killSwitch the kill switch
     * @param quarantines the quarantines
     * @param agents the hypervisor's view of the agents
     */
    public KillSwitchControl(KillSwitch killSwitch, Quarantines quarantines, Supplier<List<AgentStatus>> agents) {
        this.killSwitch = killSwitch;
        this.quarantines = quarantines;
        this.agents = agents;
    }

    /**
     * Registers the MBean in the platform MBean server.
     *
     * @param killSwitch the kill switch
     * @param hypervisor the hypervisor, for the agents' status
     * @throws JMException if it cannot be registered
     */
    public static void register(KillSwitch killSwitch, Quarantines quarantines, Hypervisor hypervisor)
            throws JMException {
        ManagementFactory.getPlatformMBeanServer().registerMBean(
                new KillSwitchControl(killSwitch, quarantines, hypervisor::agents), new ObjectName(OBJECT_NAME));
    }

    @Override
    public String quarantine(String agentId, String duration, String mode, String reason, String operatorId) {
        QuarantineRecord q = quarantines.quarantine(agentId, Duration.parse(duration),
                QuarantineMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)), reason, operatorId, "jmx");
        return "quarantined agent:" + q.agentId() + " (" + q.mode().name().toLowerCase(java.util.Locale.ROOT)
                + ") until " + q.until();
    }

    @Override
    public boolean release(String agentId, String reason, String operatorId) {
        return quarantines.release(agentId, reason, operatorId, "jmx");
    }

    @Override
    public String kill(String target, String reason, String operatorId) {
        KillRecord kill = killSwitch.kill(KillTarget.parse(target), reason, operatorId, "jmx");
        int n = kill.interruptedCalls();
        return "killed " + kill.target() + ": " + n + (n == 1 ? " call" : " calls") + " in flight interrupted, sagas "
                + "compensating " + kill.compensatingSagas();
    }

    @Override
    public boolean revive(String target, String reason, String operatorId) {
        return killSwitch.revive(KillTarget.parse(target), reason, operatorId, "jmx");
    }

    @Override
    public String[] getKills() {
        return killSwitch.kills().stream().map(KillSwitchControl::line).toArray(String[]::new);
    }

    @Override
    public String[] getAgents() {
        return agents.get().stream().map(a -> a.agentId() + "\t" + a.ring() + "\t"
                + a.killedBy().map(k -> "killed (" + k.target() + ")")
                        .or(() -> a.quarantinedBy().map(q -> "quarantined (" + q.mode().name()
                                .toLowerCase(java.util.Locale.ROOT) + " until " + q.until() + ")"))
                        .orElse("running") + "\t"
                + a.callsInFlight()).toArray(String[]::new);
    }

    /** @return one kill as the {@code list} command prints it */
    static String line(KillRecord kill) {
        return kill.target() + "\t" + kill.operatorId() + "\t" + kill.at() + "\t" + kill.reason();
    }
}
