package dev.agentmesh.reader;

/**
 * A failed verification other than a break in the chain: the trail is shorter than a checkpoint or the state says
 * (exit 2), or a checkpoint's signature or key is wrong (exit 3), or the trail disagrees with a signed checkpoint
 * (exit 1). The message is the one line the user sees.
 */
final class Verdict extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    Verdict(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** @return the exit code, from {@link ExitCodes} */
    int exitCode() {
        return exitCode;
    }
}
