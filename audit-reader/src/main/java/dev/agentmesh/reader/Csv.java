package dev.agentmesh.reader;

import java.nio.charset.StandardCharsets;

/** Builds one RFC 4180 CSV row into a {@link LineBuffer}. */
final class Csv {

    /** RFC 4180 ends every row, the last included, with CRLF. */
    static final String ROW_END = "\r\n";

    private final LineBuffer out;
    private final int start;
    private boolean first = true;

    /** Starts a row in a builder of its own; {@link #end()} returns its text. */
    Csv() {
        this(new LineBuffer());
    }

    /** @param out where to append the row, after what it already holds */
    Csv(LineBuffer out) {
        this.out = out;
        this.start = out.length();
    }

    /**
     * Appends a field, quoted only if it holds a comma, quote, CR or LF; quotes inside are doubled.
     *
     * @param value the field's text; empty for a field the record does not have
     * @return this
     */
    Csv field(String value) {
        separate();
        if (needsQuotes(value)) {
            out.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            out.append(value);
        }
        return this;
    }

    /**
     * Appends a text field from its UTF-8 bytes, as {@link #field(String)} would append it decoded; ASCII without
     * special characters, nearly every field a trail holds, is copied byte by byte.
     *
     * @param utf8 buffer
     * @param offset where the bytes start
     * @param length how many
     * @return this
     */
    Csv field(byte[] utf8, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = utf8[i];
            if (b < 0 || b == ',' || b == '"' || b == '\r' || b == '\n') {
                return field(new String(utf8, offset, length, StandardCharsets.UTF_8));
            }
        }
        separate();
        for (int i = offset; i < offset + length; i++) {
            out.append((char) utf8[i]);
        }
        return this;
    }

    /**
     * @param value an integer
     * @return this
     */
    Csv field(long value) {
        separate();
        out.append(value);
        return this;
    }

    /** @return this, after an empty field: one the record's type does not have */
    Csv empty() {
        separate();
        return this;
    }

    /**
     * @param bytes buffer holding the bytes to show as lower-case hex
     * @param from first index
     * @param to end index, exclusive
     * @return this
     */
    Csv hex(byte[] bytes, int from, int to) {
        separate();
        out.appendHex(bytes, from, to);
        return this;
    }

    /**
     * @param epochMillis a time, shown as {@link IsoTime} does
     * @return this
     */
    Csv time(long epochMillis) {
        separate();
        IsoTime.append(epochMillis, out);
        return this;
    }

    /** Ends the row in the builder. */
    void close() {
        out.append(ROW_END);
    }

    /** @return the row's text, with its CRLF */
    String end() {
        close();
        return out.toString().substring(start);
    }

    private void separate() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
