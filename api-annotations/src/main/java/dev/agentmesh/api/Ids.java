package dev.agentmesh.api;

/**
 * The rule for agent and session ids and for rings, in one place: what {@link AgentContext}, {@link Session} and the
 * {@link Hypervisor} accept. An id is 1 to {@value #MAX_LENGTH} characters, each a letter, a digit, {@code .},
 * {@code _}, {@code :} or {@code -}, and the letters of each part between colons are of one script, so that no id
 * can pass for another on the trail: {@code ops-аdmin} with a Cyrillic {@code а} is refused, while
 * {@code mcp-client:Иван} is two parts of one script each. As Unicode's "highly restrictive" level (TR39 5.2)
 * allows, Latin may join Han with Hiragana and Katakana, with Bopomofo, or with Hangul. (A part written wholly in
 * another script, such as Cyrillic {@code асе}, passes: the policy, which names agents exactly, gives it nothing it
 * does not name.)
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
     * @throws IllegalArgumentException if it is null, blank, longer than {@value #MAX_LENGTH} characters, holds
     *     a character other than a letter, a digit, {@code .}, {@code _}, {@code :} or {@code -}, or mixes scripts
     *     within a part (see the class)
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
        int mixed = mixedScriptAt(id);
        if (mixed >= 0) {
            throw new IllegalArgumentException(what + " '" + printable(id) + "' mixes scripts: "
                    + describe(id.codePointAt(mixed)) + " at index " + mixed + " is "
                    + Character.UnicodeScript.of(id.codePointAt(mixed)) + ", after " + scriptsBefore(id, mixed)
                    + "; an id's letters must be of one script, so that it cannot pass for another id");
        }
        return id;
    }

    /**
     * Turns any name (a client's name, an e-mail address, a user name from a framework) into an id that
     * {@link #require} accepts: every character an id may not hold, and every letter of a second script, becomes
     * {@code _}, and the result is cut to {@value #MAX_LENGTH} characters.
     *
     * @param name the name; not null
     * @return the id, or {@code "_"} for an empty name
     */
    public static String toId(String name) {
        StringBuilder id = new StringBuilder(Math.min(name.length(), MAX_LENGTH));
        name.codePoints().limit(MAX_LENGTH).forEach(c -> {
            boolean allowed = Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == ':' || c == '-';
            // One char per code point, so the id never outgrows MAX_LENGTH in chars.
            id.appendCodePoint(allowed && Character.charCount(c) == 1 ? c : '_');
        });
        for (int at; (at = mixedScriptAt(id)) >= 0; ) {
            id.setCharAt(at, '_');
        }
        return id.length() == 0 || id.toString().isBlank() ? "_" : id.toString();
    }

    /** Scripts that may share an id with Latin, as TR39's highly restrictive level allows. */
    private static final java.util.List<java.util.Set<Character.UnicodeScript>> ALLOWED_MIXES = java.util.List.of(
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN,
                    Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA),
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN,
                    Character.UnicodeScript.BOPOMOFO),
            java.util.EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN,
                    Character.UnicodeScript.HANGUL));

    /**
     * @return the index of the first character whose script the ones before it, in its part of the id (between
     *         colons), cannot share it with; or -1
     */
    private static int mixedScriptAt(CharSequence id) {
        java.util.Set<Character.UnicodeScript> seen = java.util.EnumSet.noneOf(Character.UnicodeScript.class);
        for (int i = 0; i < id.length(); ) {
            int c = Character.codePointAt(id, i);
            if (c == ':') {
                seen.clear();
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            // Digits and punctuation are COMMON; combining marks are INHERITED: they go with any script.
            if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED
                    && seen.add(script) && seen.size() > 1 && !mayMix(seen)) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    private static boolean mayMix(java.util.Set<Character.UnicodeScript> scripts) {
        for (java.util.Set<Character.UnicodeScript> allowed : ALLOWED_MIXES) {
            if (allowed.containsAll(scripts)) {
                return true;
            }
        }
        return false;
    }

    private static String scriptsBefore(String id, int end) {
        java.util.Set<Character.UnicodeScript> before = java.util.EnumSet.noneOf(Character.UnicodeScript.class);
        id.substring(id.lastIndexOf(':', end) + 1, end).codePoints().mapToObj(Character.UnicodeScript::of)
                .filter(s -> s != Character.UnicodeScript.COMMON && s != Character.UnicodeScript.INHERITED)
                .forEach(before::add);
        return before.toString();
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
