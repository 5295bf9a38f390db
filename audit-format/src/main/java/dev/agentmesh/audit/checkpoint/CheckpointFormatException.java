package dev.agentmesh.audit.checkpoint;

/**
 * Text that is not a well-formed checkpoint, signed note or verifier key. The message is one line and names the
 * part at fault, for example {@code checkpoint line 2 (tree size): '007' has a leading zero}.
 */
public class CheckpointFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the part at fault and the problem */
    public CheckpointFormatException(String message) {
        super(message);
    }
}
