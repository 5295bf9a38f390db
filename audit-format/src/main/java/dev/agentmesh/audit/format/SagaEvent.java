package dev.agentmesh.audit.format;

/**
 * What happened in a saga, as a {@link RecordType#SAGA_EVENT} record says. Saga-level events name no step; step and
 * compensation events name the step and the attempt.
 *
 * <p>The journal is write-ahead: {@link #STEP_STARTED} is on the trail before the step's action runs and
 * {@link #COMPENSATION_STARTED} before its compensation runs, so after a crash a reader knows every step that may
 * have had an effect and every compensation that may have run.
 */
public enum SagaEvent {

    /**
     * The saga began to run; the detail lists its name, agent and settings for a person; the data is the saga's name,
     * a newline, and its step names comma-separated.
     */
    SAGA_STARTED(1),
    /**
     * A step's attempt is about to run. The data is {@code <compensation descriptor>\n<idempotency key>\n<flags>}
     * (see the README's saga section).
     */
    STEP_STARTED(2),
    /** A step's attempt returned; the data is its result in the saga value codec. */
    STEP_COMPLETED(3),
    /**
     * A step's attempt threw; the detail names the exception, the data says {@code retry} or {@code final}, followed
     * by {@code ,unknown} when the attempt may have had its effect anyway (it timed out, or its result could not be
     * recorded): such a step is compensated, with a {@code null} result after a restart.
     */
    STEP_FAILED(4),
    /** The saga began to undo its steps; the detail names the failure that caused it. */
    SAGA_COMPENSATING(5),
    /** A step's compensation is about to run. */
    COMPENSATION_STARTED(6),
    /** A step's compensation returned. */
    COMPENSATION_COMPLETED(7),
    /** A step's compensation threw; the data says {@code retry} or {@code final}. */
    COMPENSATION_FAILED(8),
    /** Every step completed. */
    SAGA_COMPLETED(9),
    /** Every step that needed undoing was undone. */
    SAGA_COMPENSATED(10),
    /** A step failed and nothing was undone: the failure was not compensable, or came after the pivot. */
    SAGA_FAILED(11),
    /** A compensation failed for good: an operator is needed. */
    SAGA_COMPENSATION_FAILED(12),
    /** A later run of the application took over a saga that an earlier run left unfinished. */
    SAGA_RECOVERING(13);

    private static final SagaEvent[] BY_CODE = new SagaEvent[14];

    static {
        for (SagaEvent event : values()) {
            BY_CODE[event.code] = event;
        }
    }

    private final byte code;

    SagaEvent(int code) {
        this.code = (byte) code;
    }

    /** @return the byte this event is encoded as */
    public byte code() {
        return code;
    }

    /** @return the word exports and reports use for this event: its upper-case name */
    public String label() {
        return name();
    }

    /** @return whether the saga ends with this event */
    public boolean endsSaga() {
        return this == SAGA_COMPLETED || this == SAGA_COMPENSATED || this == SAGA_FAILED
                || this == SAGA_COMPENSATION_FAILED;
    }

    /**
     * Looks an event up by its code.
     *
     * @param code the encoded byte
     * @return the event
     * @throws MalformedRecordException if no event has that code
     */
    public static SagaEvent ofCode(byte code) {
        if (code <= 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new MalformedRecordException("unknown saga event " + code);
        }
        return BY_CODE[code];
    }
}
