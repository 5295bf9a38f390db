package dev.agentmesh.agent.control.mbean;

/**
 * The kill switch over JMX, registered as {@value KillSwitchControl#OBJECT_NAME}. Whoever can reach the JVM's
 * MBean server (local attach as the same OS user, or a JMX port the application opened) is an operator: JMX access is
 * the authority here, not a ring. Every operation is recorded on the trail with the operator's id.
 */
public interface KillSwitchMXBean {

    /**
     * @param target {@code agent:<id>}, {@code session:<id>} or {@code all}
     * @param reason why
     * @param operatorId who
     * @return one line saying what the kill did: calls interrupted, sagas compensating
     */
    String kill(String target, String reason, String operatorId);

    /**
     * @param target as it was killed
     * @param reason why it is lifted
     * @param operatorId who
     * @return whether a kill of that target was in force
     */
    boolean revive(String target, String reason, String operatorId);

    /**
     * @param agentId the agent
     * @param duration how long, ISO-8601 ({@code PT10M})
     * @param mode {@code DEMOTE} or {@code BLOCK}
     * @param reason why
     * @param operatorId who
     * @return one line saying until when
     */
    String quarantine(String agentId, String duration, String mode, String reason, String operatorId);

    /**
     * @param agentId the agent
     * @param reason why
     * @param operatorId who
     * @return whether it was quarantined
     */
    boolean release(String agentId, String reason, String operatorId);

    /** @return one line per kill in force: target, operator, time, reason */
    String[] getKills();

    /** @return one line per known agent: id, ring, killed or not (and by what), calls in flight */
    String[] getAgents();
}
