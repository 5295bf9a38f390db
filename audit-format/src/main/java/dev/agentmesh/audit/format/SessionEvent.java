package dev.agentmesh.audit.format;

/** What happened to a shared multi-agent session, as a {@link RecordType#SESSION_EVENT} record says. */
public enum SessionEvent {

    /** The session was opened. */
    CREATED(1),
    /** An agent joined the session. */
    JOINED(2),
    /** An agent left the session. */
    LEFT(3),
    /** The session was ended on purpose. */
    TERMINATED(4),
    /** The session ran past its time limit; it refuses calls from then on. */
    EXPIRED(5),
    /** The session's state was saved. */
    CHECKPOINT(6),
    /** The session's state was restored from a checkpoint. */
    RESTORED(7),
    /** A new session was forked off this one. */
    FORKED(8),
    /** Another session was merged into this one. */
    MERGED(9),
    /**
     * An agent wrote the session's shared state; the detail reads {@code key <key> value-sha256 <hex> clock <clock>}.
     */
    STATE_WRITE(10);

    private static final SessionEvent[] BY_CODE = new SessionEvent[11];

    static {
        for (SessionEvent event : values()) {
            BY_CODE[event.code] = event;
        }
    }

    private final byte code;

    SessionEvent(int code) {
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

    /**
     * Looks an event up by its code.
     *
     * @param code the encoded byte
     * @return the event
     * @throws MalformedRecordException if no event has that code
     */
    public static SessionEvent ofCode(byte code) {
        if (code <= 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new MalformedRecordException("unknown session event " + code);
        }
        return BY_CODE[code];
    }
}
