package dev.agentmesh.api;

/**
 * Thrown inside a governed method, before its body runs, when the call cannot be recorded on the audit trail:
 * the audit directory is unwritable, the disk is full, or the trail failed earlier. A call that cannot be
 * audited does not run.
 */
public class AuditUnavailableException extends SecurityException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be recorded and why
     * @param cause the underlying failure, or {@code null}
     */
    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
