package dev.agentmesh.agent.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the policy's {@code tools:} section: which tools it names and the ring they require. A key names
 * tools one of three ways:
 * <ul>
 *   <li>a framework tool name, as the framework gives it to the model: {@code web_search};</li>
 *   <li>a method pattern, {@code class#method}: {@code com.acme.tools.*#drop*}, where {@code *} matches any run of
 *       characters except {@code .} and {@code **} any run including {@code .} (in the method part, {@code *} matches
 *       any run);</li>
 *   <li>an annotation, {@code @} and its binary name: {@code @com.acme.Dangerous}, for every method carrying it.</li>
 * </ul>
 *
 * @param key the key as written
 * @param kind how it names tools
 * @param ring the ring those tools require, 0..3
 * @param line the line of the policy file it is on, for messages; 0 if built in code
 */
public record ToolRule(String key, Kind kind, int ring, int line) {

    /** How a rule names tools. */
    public enum Kind {
        /** A framework tool name. */
        NAME,
        /** A {@code class#method} pattern. */
        METHOD,
        /** An annotation on the method. */
        ANNOTATION
    }

    private static final Pattern JAVA_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
    private static final Pattern CLASS_GLOB = Pattern.compile("[\\p{L}\\p{N}_$.*]+");
    private static final Pattern METHOD_GLOB = Pattern.compile("[\\p{L}\\p{N}_$*<>]+");

    /** Checks the key against its kind and the ring. */
    public ToolRule {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        if (!Policy.isRing(ring)) {
            throw new IllegalArgumentException("the ring of tool " + key + " must be from 0 to 3, got " + ring);
        }
    }

    /**
     * @param key a key of the {@code tools:} section
     * @param ring its ring
     * @param line its line
     * @return the rule it makes
     * @throws IllegalArgumentException if the key is malformed, saying how
     */
    public static ToolRule of(String key, int ring, int line) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a tool key must not be blank");
        }
        if (key.startsWith("@")) {
            if (!JAVA_NAME.matcher(key.substring(1)).matches()) {
                throw new IllegalArgumentException("an annotation key is @ and the annotation's binary name, as "
                        + "@com.acme.Dangerous");
            }
            return new ToolRule(key, Kind.ANNOTATION, ring, line);
        }
        int hash = key.indexOf('#');
        if (hash >= 0) {
            String type = key.substring(0, hash);
            String method = key.substring(hash + 1);
            if (!CLASS_GLOB.matcher(type).matches() || !METHOD_GLOB.matcher(method).matches()
                    || key.indexOf('#', hash + 1) >= 0 || type.contains("***") || method.contains("**")) {
                throw new IllegalArgumentException("a method pattern is class#method, as com.acme.tools.*#drop* "
                        + "(* within a package segment, ** across them, * in the method part)");
            }
            return new ToolRule(key, Kind.METHOD, ring, line);
        }
        if (key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("a tool name must not contain spaces or control characters");
        }
        return new ToolRule(key, Kind.NAME, ring, line);
    }

    /**
     * How specific a method pattern is: the characters it fixes (those that are not wildcards). Of two patterns that
     * both match, the one fixing more characters wins.
     *
     * @return the number of literal characters in the key
     */
    int specificity() {
        return (int) key.chars().filter(c -> c != '*').count();
    }

    /** @return the class part of a METHOD rule as a regular expression over binary class names */
    public Pattern classRegex() {
        return Pattern.compile(glob(key.substring(0, key.indexOf('#')), "[^.]*"));
    }

    /** @return the pattern of a METHOD rule as a regular expression over {@code class#method} */
    Pattern methodRegex() {
        int hash = key.indexOf('#');
        return Pattern.compile(glob(key.substring(0, hash), "[^.]*") + "#" + glob(key.substring(hash + 1), ".*"));
    }

    private static String glob(String glob, String star) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append(star);
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
