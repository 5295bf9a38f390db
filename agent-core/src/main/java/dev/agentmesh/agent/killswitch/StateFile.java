package dev.agentmesh.agent.killswitch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small file in the audit directory that keeps what must outlive the JVM, kills and quarantines in force, one
 * tab-separated line each, replaced atomically on every change. The trail records every change; this file only lets
 * a restarted JVM start with them in force (killed stays killed until revived). Whoever can write the audit
 * directory can edit it, as they could the trail.
 */
public final class StateFile {

    private final Path file;

    /** @param file where the state lives */
    public StateFile(Path file) {
        this.file = file;
    }

    /**
     * @return its lines, each split at tabs; empty if there is no file
     * @throws UncheckedIOException if it exists but cannot be read
     */
    public List<String[]> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the file's content atomically.
     *
     * @param rows the lines, as fields; tabs and line breaks inside fields become spaces
     * @throws UncheckedIOException if it cannot be written
     */
    public void write(List<String[]> rows) {
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                text.append(i == 0 ? "" : "\t").append(row[i].replaceAll("[\\t\\r\\n]", " "));
            }
            text.append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param line 1-based line number
     * @param problem what is wrong
     * @return the error that stops the agent's start, naming the file and line
     */
    public MalformedStateException malformed(int line, String problem) {
        return new MalformedStateException(file + ":" + line + ": " + problem
                + "; fix or delete the file (the trail keeps the history)");
    }

    /** A state file the agent cannot trust: it stops the agent's start, as a malformed policy does. */
    public static final class MalformedStateException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MalformedStateException(String message) {
            super(message);
        }
    }
}
