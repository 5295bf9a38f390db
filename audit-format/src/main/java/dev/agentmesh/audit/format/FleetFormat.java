package dev.agentmesh.audit.format;

/**
 * How trails travel on Apache Kafka in fleet mode; the agent's forwarder writes it and the audit reader reads it.
 * Every message is keyed by its trail's writer id (the id of the JVM run that started the trail, in UTF-8), so one
 * trail stays in one partition, in order.
 * <ul>
 *   <li>On the audit topic, the trail's records ({@value #KIND}: {@value #RECORD}): each one's stored bytes exactly
 *       as in the local queue, the canonical record followed by its 32-byte chain hash.</li>
 *   <li>On the audit topic's checkpoint topic ({@link #checkpointTopic}), its signed checkpoints ({@value #KIND}:
 *       {@value #CHECKPOINT}), each note as the checkpointer wrote it. Apart, because a checkpoint may be signed over
 *       records not sent yet, or long sent: a reader takes each trail's newest checkpoint from the small topic first,
 *       then checks it in one pass over the records.</li>
 * </ul>
 */
public final class FleetFormat {

    /** The audit topic when none is named. */
    public static final String DEFAULT_AUDIT_TOPIC = "agentmesh-audit";
    /** The header naming what a message holds. */
    public static final String KIND = "agentmesh-kind";
    /** {@link #KIND} of a record. */
    public static final String RECORD = "record";
    /** {@link #KIND} of a signed checkpoint. */
    public static final String CHECKPOINT = "checkpoint";

    private FleetFormat() {
    }

    /**
     * @param auditTopic the audit topic
     * @return the topic its trails' signed checkpoints go to: {@code <auditTopic>.checkpoints}
     */
    public static String checkpointTopic(String auditTopic) {
        return auditTopic + ".checkpoints";
    }
}
