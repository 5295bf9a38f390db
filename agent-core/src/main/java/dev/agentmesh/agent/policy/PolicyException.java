package dev.agentmesh.agent.policy;

import java.util.Objects;

/**
 * A policy file cannot be used. {@link #getMessage()} is exactly one line a person can act on:
 * {@code <file>:<line>: <problem>}, or {@code <file>: <problem>} when no line applies.
 */
public final class PolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String problem;

    /**
     * @param file    the policy file as named by the user
     * @param line    1-based line of the mistake, or 0 when it concerns the whole file
     * @param problem what is wrong; line breaks are flattened so the message stays on one line
     */
    public PolicyException(String file, int line, String problem) {
        this(file, line, problem, null);
    }

    /**
     * @param file    the policy file as named by the user
     * @param line    1-based line of the mistake, or 0 when it concerns the whole file
     * @param problem what is wrong; line breaks are flattened so the message stays on one line
     * @param cause   the underlying failure, kept for debugging; it is not part of the message
     */
    public PolicyException(String file, int line, String problem, Throwable cause) {
        super(message(file, line, problem), cause);
        this.file = file;
        this.line = line;
        this.problem = oneLine(problem);
    }

    private static String message(String file, int line, String problem) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(problem, "problem");
        if (line < 0) {
            throw new IllegalArgumentException("line must be 1-based or 0, got " + line);
        }
        String where = line == 0 ? oneLine(file) : oneLine(file) + ":" + line;
        return where + ": " + oneLine(problem);
    }

    /** @return the policy file as named by the user */
    public String file() {
        return file;
    }

    /** @return the 1-based line of the mistake, or 0 when not known or it concerns the whole file */
    public int line() {
        return line;
    }

    /** @return what is wrong, on one line */
    public String problem() {
        return problem;
    }

    /** Collapses each run of whitespace and control characters (line breaks among them) to one space, and trims. */
    static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        boolean inGap = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                inGap = true;
            } else {
                if (inGap && sb.length() > 0) {
                    sb.append(' ');
                }
                inGap = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
