package dev.agentmesh.audit.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A key file or state file that cannot be read, written or understood. The message is one line:
 * {@code <file>: <problem>}.
 */
public class CheckpointFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file at fault; not serialized, as {@link Path} is not serializable. */
    private final transient Path file;
    /** The problem, without the file name. */
    private final String problem;

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, one line
     */
    public CheckpointFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, one line
     * @param cause the underlying exception, or {@code null}
     */
    public CheckpointFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** @return the file at fault */
    public Path file() {
        return file;
    }

    /** @return the problem, without the file name */
    public String problem() {
        return problem;
    }
}
