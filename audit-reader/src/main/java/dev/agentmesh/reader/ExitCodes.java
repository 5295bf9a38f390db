package dev.agentmesh.reader;

/**
 * The reader's exit codes, in one place. They are the public contract of issue 3's audit reader: scripts and CI
 * jobs branch on them, so a code never changes meaning.
 */
public final class ExitCodes {

    /** Intact: the command succeeded; for {@code verify}, the whole trail verified. */
    public static final int OK = 0;

    /** Tampered: a record was edited, removed, reordered or cannot be read in the middle of the trail. */
    public static final int TAMPERED = 1;

    /**
     * Truncated or rolled back: the trail is consistent with itself but shorter than, or different from, a state or
     * anchor kept elsewhere. Reserved for the {@code --state} and {@code --anchor} checks; a hash chain alone
     * cannot show that records were cut off its end, so nothing returns it yet.
     */
    public static final int TRUNCATED = 2;

    /** A checkpoint signature does not verify, or its key is missing or wrong. Reserved for checkpoint checks. */
    public static final int SIGNATURE = 3;

    /**
     * Unreadable input or a usage error: the command line is wrong, the directory holds no trail, the command names
     * something the verified trail does not hold (a {@code saga} id), or the reader itself failed (say, it could
     * not write its output). Nothing can be said about the trail.
     */
    public static final int UNREADABLE = 4;

    private ExitCodes() {
    }
}
