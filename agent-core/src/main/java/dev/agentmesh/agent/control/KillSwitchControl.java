package dev.agentmesh.agent.control;

import dev.agentmesh.agent.control.mbean.KillSwitchMXBean;
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

/**
 * The {@link KillSwitchMXBean} over the agent's kill switch.
 *
 * <p>Who may call it: whoever reaches the JVM's MBean server from outside (JMX or the attach API: same OS user, or
 * JMX credentials) is an operator. A call from inside the JVM made while an agent is in context on the calling
 * thread, as a tool's code would, is held to the same rule as {@link Hypervisor#kill}: only a ring-0 agent, and
 * the refusal is recorded as a DENY. JMX's own connection threads never carry an agent.
 */
public final class KillSwitchControl implements KillSwitchMXBean {

    /** Where it is registered. */
    public static final String OBJECT_NAME = "dev.agentmesh:type=KillSwitch";

    private final KillSwitch killSwitch;
    private final Quarantines quarantines;
    private final Supplier<List<AgentStatus>> agents;
    private final OperatorCheck check;

    /** Refuses, and records, an operation called in-process by an agent that does not hold ring 0. */
    @FunctionalInterface
    public interface OperatorCheck {
        /**
         * @param action the operation
         * @param args what it was given
         * @throws dev.agentmesh.api.RingViolationException if an agent in context may not do it
         */
        void check(String action, Object[] args);
    }

    /**
     * @param killSwitch the kill switch
     * @param quarantines the quarantines
     * @param agents the hypervisor's view of the agents
     * @param check what each operation passes first
     */
    public KillSwitchControl(KillSwitch killSwitch, Quarantines quarantines, Supplier<List<AgentStatus>> agents,
            OperatorCheck check) {
        this.killSwitch = killSwitch;
        this.quarantines = quarantines;
        this.agents = agents;
        this.check = check;
    }

    /**
     * Registers the MBean in the platform MBean server.
     *
     * @param killSwitch the kill switch
     * @param hypervisor the hypervisor, for the agents' status
     * @throws JMException if it cannot be registered
     */
    public static void register(KillSwitch killSwitch, Quarantines quarantines,
            dev.agentmesh.agent.session.AgentHypervisor hypervisor) throws JMException {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new KillSwitchControl(killSwitch, quarantines,
                hypervisor::agents, hypervisor::checkInProcessOperator), new ObjectName(OBJECT_NAME));
    }

    @Override
    public String quarantine(String agentId, String duration, String mode, String reason, String operatorId) {
        check.check("quarantine", new Object[] {agentId, duration, mode, reason, operatorId});
        QuarantineRecord q = quarantines.quarantine(agentId, Duration.parse(duration),
                QuarantineMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)), reason, operatorId, "jmx");
        return "quarantined agent:" + q.agentId() + " (" + q.mode().name().toLowerCase(java.util.Locale.ROOT)
                + ") until " + q.until();
    }

    @Override
    public boolean release(String agentId, String reason, String operatorId) {
        check.check("release", new Object[] {agentId, reason, operatorId});
        return quarantines.release(agentId, reason, operatorId, "jmx");
    }

    @Override
    public String kill(String target, String reason, String operatorId) {
        check.check("kill", new Object[] {target, reason, operatorId});
        KillRecord kill = killSwitch.kill(KillTarget.parse(target), reason, operatorId, "jmx");
        int n = kill.interruptedCalls();
        return "killed " + kill.target() + ": " + n + (n == 1 ? " call" : " calls") + " in flight interrupted, sagas "
                + "compensating " + kill.compensatingSagas();
    }

    @Override
    public boolean revive(String target, String reason, String operatorId) {
        check.check("revive", new Object[] {target, reason, operatorId});
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
