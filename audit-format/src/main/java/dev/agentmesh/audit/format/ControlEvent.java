package dev.agentmesh.audit.format;

/** What an operator (or the runtime acting for one) did, as a {@link RecordType#CONTROL} record says. */
public enum ControlEvent {

    /** A kill took effect: the subject's governed calls are refused from now on. */
    KILLED(1),
    /** A kill was lifted. */
    REVIVED(2),
    /** An agent was quarantined: demoted to ring 3, or blocked, for a time; the detail says which and until when. */
    QUARANTINED(3),
    /** A quarantine ended: released by an operator, or its time was up. */
    RELEASED(4),
    /** An agent elevated itself to a more privileged ring for a time, within its policy; the reason is its why. */
    ELEVATED(5),
    /** A governed call ran only because of an elevation; the detail names the call. */
    ELEVATION_USED(6),
    /** An elevation ended: its time was up, or the agent dropped it. */
    ELEVATION_EXPIRED(7),
    /**
     * An agent vouched for another, putting up a bond: subject {@code agent:<vouchee>}, actor the voucher, detail
     * {@code share=<0..1> bond=<points> via=<policy|api>}.
     */
    VOUCHED(8),
    /** A voucher withdrew its bond: subject {@code agent:<vouchee>}, actor the voucher, detail {@code share=<0..1>}. */
    VOUCH_WITHDRAWN(9),
    /**
     * Trust points were taken from an agent: subject {@code agent:<who lost them>}, actor the offender whose fault it
     * was, reason the cause, detail {@code points=<n> before=<n> after=<n> level=<0 for the offender, k for a voucher
     * k levels up> chain=<offender<voucher<voucher's voucher…>}.
     */
    SLASHED(10),
    /**
     * The ring an agent holds through its effective trust changed: subject {@code agent:<id>}, detail
     * {@code from=<ring> to=<ring> trust=<effective trust>}.
     */
    RING_CHANGED(11),
    /**
     * Breach detection scored an agent past the policy's threshold: subject {@code agent:<id>}, detail
     * {@code score=<n> threshold=<n> windowSeconds=<n> action=<DEMOTE|BLOCK|KILL> evidence=<what it did>}.
     */
    BREACH(12),
    /**
     * An operator's fleet command from the control topic was refused (fleet mode): subject where it was on the
     * topic, actor the operator it names (or {@code -}), reason why (unsigned or forged, replayed, stale).
     */
    COMMAND_REFUSED(13);

    private static final ControlEvent[] BY_CODE = new ControlEvent[14];

    static {
        for (ControlEvent event : values()) {
            BY_CODE[event.code] = event;
        }
    }

    private final byte code;

    ControlEvent(int code) {
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
    public static ControlEvent ofCode(byte code) {
        if (code <= 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new MalformedRecordException("unknown control event " + code);
        }
        return BY_CODE[code];
    }
}
