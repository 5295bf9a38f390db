package dev.agentmesh.audit.format;

import java.util.Arrays;

/**
 * How trails travel on Apache Kafka in fleet mode; the agent's forwarder writes it and the audit reader reads it.
 * Every message is keyed by its trail's key ({@link #trailKey}: the writer id of the JVM run that started the trail
 * and the start of that trail's first hash, in UTF-8), so one trail stays in one partition, in order.
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

    /** How many hex digits of a trail's first hash its key carries. */
    public static final int KEY_HASH_DIGITS = 12;

    private FleetFormat() {
    }

    /**
     * A trail's key on the topics: {@code <writerId>/<first 12 hex digits of the trail's first record's hash>}. The
     * writer id alone is not enough: a run whose audit directory is lost starts a new trail, seq 0 again, under the
     * same writer id, and the two must not read as one stream with a gap in it. The hash part is the same for every
     * run that continues the trail, so a restart resumes the stream it left.
     *
     * @param writerId the writer id of the trail's first record
     * @param firstHash that record's chain hash (at least {@value #KEY_HASH_DIGITS} / 2 bytes)
     * @return the key, as a string (sent as UTF-8)
     */
    public static String trailKey(String writerId, byte[] firstHash) {
        return writerId + "/" + Hex.of(Arrays.copyOf(firstHash, KEY_HASH_DIGITS / 2));
    }

    /**
     * @param auditTopic the audit topic
     * @return the topic its trails' signed checkpoints go to: {@code <auditTopic>.checkpoints}
     */
    public static String checkpointTopic(String auditTopic) {
        return auditTopic + ".checkpoints";
    }
}
