package dev.agentmesh.audit.format;

/** The trail fails verification at a given record. */
public final class ChainBreak extends Exception {

    private static final long serialVersionUID = 1L;

    private final long index;
    private final String reason;

    /**
     * @param index 0-based position of the first bad record
     * @param reason what is wrong with it
     */
    public ChainBreak(long index, String reason) {
        super("record " + index + ": " + reason);
        this.index = index;
        this.reason = reason;
    }

    /** @return the 0-based position of the first bad record */
    public long index() {
        return index;
    }

    /** @return what is wrong with it */
    public String reason() {
        return reason;
    }
}
