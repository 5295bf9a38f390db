package dev.agentmesh.agent.control.mbean;

/**
 * Fleet mode over JMX, registered as {@code dev.agentmesh:type=Fleet} in a JVM whose policy has a {@code fleet:}
 * section: how far this JVM's audit trail has reached Kafka, and whether the operators' commands were read. Read
 * only; {@code agentmesh-javaagent.jar fleet --pid <pid>} prints it.
 */
public interface FleetMXBean {

    /** @return the Kafka brokers, {@code host:port[,...]} */
    String getBootstrap();

    /** @return the audit topic the trail is shipped to */
    String getAuditTopic();

    /** @return the trail's key on the topic (writer id and hash prefix), or empty before its first record was read */
    String getTrailKey();

    /** @return the seq of the last record written to the local trail, -1 before any */
    long getWrittenSeq();

    /** @return the seq of the last record Kafka acknowledged, -1 before any */
    long getAcknowledgedSeq();

    /** @return how many records are written locally and not yet acknowledged by Kafka */
    long getLag();

    /**
     * @return {@code read} once every command on the control topic at start-up was applied or refused,
     *     {@code reading} before, {@code off} if the policy names no operator key
     */
    String getCommands();
}
