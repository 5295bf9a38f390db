package dev.agentmesh.reader;

/**
 * The reader's exit codes, in one place: scripts and CI jobs branch on them, so they never change meaning.
 */
public final class ExitCodes {

    /** The command succeeded; for {@code verify}, the whole trail verified. */
    public static final int OK = 0;

    /** The chain is broken: a record was altered, removed, reordered or cannot be read. */
    public static final int TAMPERED = 1;

    /** The command line was wrong (picocli's own usage exit code). */
    public static final int USAGE = 2;

    /** The directory is missing, empty, or holds no trail. */
    public static final int NOT_A_TRAIL = 3;

    /** The reader itself failed (an I/O error writing output, a bug), so nothing can be said about the trail. */
    public static final int ERROR = 4;

    private ExitCodes() {
    }
}
