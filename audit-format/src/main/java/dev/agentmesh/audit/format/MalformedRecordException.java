package dev.agentmesh.audit.format;

/** A record's bytes do not follow the canonical encoding. */
public final class MalformedRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the bytes */
    public MalformedRecordException(String message) {
        super(message);
    }
}
