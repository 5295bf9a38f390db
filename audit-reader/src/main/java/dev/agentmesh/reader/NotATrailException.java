package dev.agentmesh.reader;

import java.nio.file.Path;

/** The directory cannot be read as a trail at all: missing, empty, or not a Chronicle queue of records. */
final class NotATrailException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NotATrailException(Path dir, String reason) {
        super("not a trail: " + dir + ": " + reason);
    }

    NotATrailException(Path dir, String reason, Throwable cause) {
        this(dir, reason);
        initCause(cause);
    }
}
