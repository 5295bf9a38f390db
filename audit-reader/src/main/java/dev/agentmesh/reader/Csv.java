package dev.agentmesh.reader;

/** Builds one RFC 4180 CSV row. */
final class Csv {

    /** RFC 4180 ends every row, the last included, with CRLF. */
    static final String ROW_END = "\r\n";

    private final StringBuilder out = new StringBuilder(384);
    private boolean first = true;

    /**
     * Appends a field, quoted only if it holds a comma, quote, CR or LF; quotes inside are doubled.
     *
     * @param value the field's text; empty for a field the record does not have
     * @return this
     */
    Csv field(String value) {
        if (!first) {
            out.append(',');
        }
        first = false;
        if (needsQuotes(value)) {
            out.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            out.append(value);
        }
        return this;
    }

    /**
     * @param value an integer field
     * @return this
     */
    Csv field(long value) {
        return field(Long.toString(value));
    }

    /** @return the row, ending with {@link #ROW_END} */
    String end() {
        return out.append(ROW_END).toString();
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
