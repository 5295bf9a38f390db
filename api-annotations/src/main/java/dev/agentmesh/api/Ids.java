package dev.agentmesh.api;

/**
 * The rule for agent and session ids and for rings, in one place: what {@link AgentContext}, {@link Session} and the
 * {@link Hypervisor} accept. An id is 1 to {@value #MAX_LENGTH} characters, each a letter, a digit, {@code .},
 * {@code _}, {@code :} or {@code -}.
 */
public final class Ids {

    /** The longest id, in characters. */
    public static final int MAX_LENGTH = 256;

    private Ids() {
    }

    /**
     * @param what what the id names, for the message ({@code "agentId"}, {@code "sessionId"})
     * @param id the id
     * @return {@code id}
     * @throws IllegalArgumentException if it is null, blank, longer than {@value #MAX_LENGTH} characters, or holds
     *     a character other than a letter, a digit, {@code .}, {@code _}, {@code :} or {@code -}
     */
    public static String require(String what, String id) {
        if (id == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (id.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is " + id.length() + " characters long; at most "
                    + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < id.length(); ) {
            int c = id.codePointAt(i);
            if (!Character.isLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                throw new IllegalArgumentException(what + " '" + printable(id) + "' has the character "
                        + describe(c) + " at index " + i + "; use letters, digits and . _ : - only");
            }
            i += Character.charCount(c);
        }
        return id;
    }

    /**
     * @param ring a ring
     * @return {@code ring}
     * @throws IllegalArgumentException if it is outside 0..3
     */
    public static int requireRing(int ring) {
        if (ring < 0 || ring > 3) {
            throw new IllegalArgumentException("ring must be 0..3 (0 system, 1 trusted, 2 standard, 3 sandboxed), got "
                    + ring);
        }
        return ring;
    }

    private static String describe(int c) {
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? String.format("U+%04X", c) : "'" + new String(Character.toChars(c)) + "'";
    }

    private static String printable(String id) {
        StringBuilder out = new StringBuilder();
        id.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append('?');
            } else {
                out.appendCodePoint(c);
            }
        });
        return id.codePointCount(0, id.length()) > 64 ? out + "…" : out.toString();
    }
}
