package dev.agentmesh.reader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the JSON objects the reader writes (string, integer, boolean and null values; objects and
 * arrays in {@code saga}'s timeline), so tests check that each line really is JSON rather than comparing text with
 * text built the same way.
 */
final class MiniJson {

    private final String s;
    private int pos;

    private MiniJson(String s) {
        this.s = s;
    }

    /**
     * @param text one JSON object, nothing before or after it but whitespace
     * @return its members in order: String, Long, Boolean or null values, or a nested object (a Map) or array (a
     *     List)
     * @throws IllegalArgumentException if {@code text} is not such an object
     */
    static Map<String, Object> parseObject(String text) {
        MiniJson p = new MiniJson(text);
        Map<String, Object> members = p.object();
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("trailing text");
        }
        return members;
    }

    private Map<String, Object> object() {
        ws();
        expect('{');
        Map<String, Object> members = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            ws();
            String name = string();
            ws();
            expect(':');
            ws();
            if (members.containsKey(name)) {
                throw error("duplicate member " + name);
            }
            members.put(name, value());
            ws();
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw error("expected , or }");
            }
        }
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (s.startsWith(word, pos)) {
                pos += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        throw error("unexpected value");
    }

    private List<Object> array() {
        expect('[');
        List<Object> values = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            return values;
        }
        while (true) {
            ws();
            values.add(value());
            ws();
            char c = next();
            if (c == ']') {
                return values;
            }
            if (c != ',') {
                throw error("expected , or ]");
            }
        }
    }

    private Long number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (pos < s.length() && ".eE".indexOf(s.charAt(pos)) >= 0) {
            throw error("the export writes integers only");
        }
        return Long.parseLong(s.substring(start, pos));
    }

    private void digits() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a digit");
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private void ws() {
        while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected " + c);
        }
    }

    private char peek() {
        if (pos >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + pos + " in " + s);
    }
}
