package dev.agentmesh.reader;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds one flat JSON object, members in the order they are added, into a {@link LineBuffer}.
 *
 * <p>Written by hand rather than with a JSON library, to keep the reader jar small and dependency-free beyond
 * picocli, and because export writes a million objects a second: strings are escaped straight from the trail's
 * UTF-8 bytes and hashes hex-encoded in place, with nothing allocated per member.
 */
final class Json {

    private final LineBuffer out;
    private final int start;

    /** Starts an object in a buffer of its own; {@link #end()} returns its text. */
    Json() {
        this(new LineBuffer());
    }

    /** @param out where to append the object, after what it already holds */
    Json(LineBuffer out) {
        this.out = out;
        this.start = out.length();
        out.append('{');
    }

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
     * @param utf8 buffer holding the value's UTF-8 bytes
     * @param offset where they start
     * @param length how many
     * @return this
     */
    Json string(String name, byte[] utf8, int offset, int length) {
        name(name);
        quote(utf8, offset, length, out);
        return this;
    }

    /**
     * @param name member name
     * @param bytes buffer holding the bytes to show as lower-case hex
     * @param from first index
     * @param to end index, exclusive
     * @return this
     */
    Json hex(String name, byte[] bytes, int from, int to) {
        name(name);
        out.append('"').appendHex(bytes, from, to).append('"');
        return this;
    }

    /**
     * @param name member name
     * @param epochMillis a time, shown as {@link IsoTime} does
     * @return this
     */
    Json time(String name, long epochMillis) {
        name(name);
        out.append('"');
        IsoTime.append(epochMillis, out);
        out.append('"');
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

    /**
     * @param name member name
     * @param value boolean value
     * @return this
     */
    Json bool(String name, boolean value) {
        name(name);
        out.append(value ? "true" : "false");
        return this;
    }

    /**
     * @param name member name
     * @param values JSON values already built, such as {@link #end()} returns, written as an array of them
     * @return this
     */
    Json array(String name, List<String> values) {
        name(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(values.get(i));
        }
        out.append(']');
        return this;
    }

    /** Closes the object in the buffer. */
    void close() {
        out.append('}');
    }

    /** @return the object's text, without a line terminator */
    String end() {
        close();
        return out.toString().substring(start);
    }

    /** Member names are the formats' own constants, plain ASCII: no escaping needed. */
    private void name(String name) {
        if (out.length() > start + 1) {
            out.append(',');
        }
        out.append('"').append(name).append('"').append(':');
    }

    /**
     * Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped, everything else as
     * is (the output is UTF-8, so no other character needs escaping).
     *
     * @param s the text
     * @param out where to append it
     */
    static void quote(String s, LineBuffer out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            escape(s.charAt(i), out);
        }
        out.append('"');
    }

    /**
     * Appends UTF-8 bytes as a JSON string, exactly as {@link #quote(String, LineBuffer)} would append them
     * decoded. ASCII, which is nearly everything a trail holds, is copied byte by byte; from the first other byte
     * on, the rest is decoded as a string (a split before a non-ASCII byte never cuts a character in two).
     *
     * @param utf8 buffer
     * @param offset where the bytes start
     * @param length how many
     * @param out where to append the string
     */
    static void quote(byte[] utf8, int offset, int length, LineBuffer out) {
        out.append('"');
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = utf8[i];
            if (b < 0) {
                String rest = new String(utf8, i, end - i, StandardCharsets.UTF_8);
                for (int j = 0; j < rest.length(); j++) {
                    escape(rest.charAt(j), out);
                }
                break;
            }
            escape((char) b, out);
        }
        out.append('"');
    }

    private static void escape(char c, LineBuffer out) {
        if (c >= 0x20 && c != '"' && c != '\\') {
            out.append(c);
            return;
        }
        switch (c) {
            case '"' -> out.append('\\').append('"');
            case '\\' -> out.append('\\').append('\\');
            case '\n' -> out.append('\\').append('n');
            case '\r' -> out.append('\\').append('r');
            case '\t' -> out.append('\\').append('t');
            case '\b' -> out.append('\\').append('b');
            case '\f' -> out.append('\\').append('f');
            default -> out.appendUnicodeEscape(c);
        }
    }
}
