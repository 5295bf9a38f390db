package dev.agentmesh.audit.format;

/** The kinds of audit record, with the one-byte code each is encoded as. */
public enum RecordType {

    /** Opens every writer run: format version, writer id, start time, policy digest. */
    GENESIS(1, "GENESIS"),
    /** A governed call was allowed; written before the body runs. */
    CALL_ALLOWED(2, "ALLOW"),
    /** A governed call was denied; the body never ran. */
    CALL_DENIED(3, "DENY"),
    /** An allowed call returned normally. */
    CALL_RETURNED(4, "RETURNED"),
    /** An allowed call threw. */
    CALL_THREW(5, "THREW"),
    /** Something happened to a shared multi-agent session: see {@link SessionEvent}. */
    SESSION_EVENT(6, "SESSION"),
    /** A saga began, ran or undid a step, or ended: see {@link SagaEvent}. */
    SAGA_EVENT(7, "SAGA"),
    /** An operator killed or revived an agent, a session or everything: see {@link ControlEvent}. */
    CONTROL(8, "CONTROL");

    private static final RecordType[] BY_CODE = new RecordType[9];

    static {
        for (RecordType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final byte code;
    private final String label;

    RecordType(int code, String label) {
        this.code = (byte) code;
        this.label = label;
    }

    /** @return the byte this type is encoded as */
    public byte code() {
        return code;
    }

    /** @return the word exports and reports use for this type */
    public String label() {
        return label;
    }

    /** @return whether this is a decision record (ALLOW or DENY) */
    public boolean isDecision() {
        return this == CALL_ALLOWED || this == CALL_DENIED;
    }

    /** @return whether this is an outcome record (RETURNED or THREW) */
    public boolean isOutcome() {
        return this == CALL_RETURNED || this == CALL_THREW;
    }

    /**
     * Looks a type up by its code.
     *
     * @param code the encoded byte
     * @return the type
     * @throws MalformedRecordException if no type has that code
     */
    public static RecordType ofCode(byte code) {
        if (code <= 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new MalformedRecordException("unknown record type " + code);
        }
        return BY_CODE[code];
    }
}
