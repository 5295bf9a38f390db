package dev.agentmesh.reader;

/**
 * Builds one flat JSON object, members in the order they are added.
 *
 * <p>Written by hand rather than with a JSON library, to keep the reader jar small and dependency-free beyond
 * picocli.
 */
final class Json {

    private final StringBuilder out = new StringBuilder(384).append('{');

    /**
     * @param name member name
     * @param value string value, escaped as RFC 8259 requires
     * @return this
     */
    Json string(String name, String value) {
        name(name);
        quote(value, out);
        return this;
    }

    /**
     * @param name member name
     * @param value integer value
     * @return this
     */
    Json number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /** @return the object's text, without a line terminator */
    String end() {
        return out.append('}').toString();
    }

    private void name(String name) {
        if (out.length() > 1) {
            out.append(',');
        }
        quote(name, out);
        out.append(':');
    }

    /**
     * Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped, everything else as
     * is (the output is UTF-8, so no other character needs escaping).
     *
     * @param s the text
     * @param out where to append it
     */
    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
