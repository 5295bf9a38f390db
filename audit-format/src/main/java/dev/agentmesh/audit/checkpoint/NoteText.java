package dev.agentmesh.audit.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** The lexical rules shared by checkpoints, signed notes and verifier keys. */
final class NoteText {

    /** Largest signed note, state file or key file this package reads. */
    static final int MAX_NOTE_BYTES = 1 << 20;

    private static final int QUOTE_LIMIT = 48;

    private NoteText() {
    }

    /**
     * Unicode White_Space, as Go's {@code unicode.IsSpace} (which the signed-note reference implementation uses for
     * key names): TAB..CR, space, NEL, and the Zs, Zl and Zp categories.
     */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
    }

    /**
     * The key-name rule of signed-note, with control characters also excluded: non-empty, no Unicode space, no
     * {@code +}, no control character.
     *
     * @return the problem, or {@code null} if {@code name} is a valid name
     */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (isSpace(name.codePointAt(0))) {
            return "starts with whitespace";
        }
        if (isSpace(name.codePointBefore(name.length()))) {
            return "ends with whitespace";
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (isSpace(cp)) {
                return "contains whitespace (" + codePoint(cp) + ") at character " + (i + 1);
            }
            if (cp == '+') {
                return "contains '+' at character " + (i + 1);
            }
            if (Character.isISOControl(cp)) {
                return "contains a control character (" + codePoint(cp) + ") at character " + (i + 1);
            }
            if (Character.isSurrogate((char) cp)) {
                return "contains an unpaired surrogate at character " + (i + 1);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** @return {@code U+XXXX} */
    static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }

    /** A short, single-line, quoted rendering of untrusted text for error messages. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (shown == QUOTE_LIMIT) {
                b.append("...");
                break;
            }
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || Character.isSurrogate((char) cp)) {
                b.append("\\u").append(String.format("%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
            shown++;
            i += Character.charCount(cp);
        }
        return b.append('\'').toString();
    }

    /**
     * Decodes standard base64 (RFC 4648 section 4, with padding) and insists on the canonical encoding, so that
     * exactly one string stands for each byte sequence.
     *
     * @return the bytes, or {@code null} if {@code s} is not canonical standard base64
     */
    static byte[] base64(String s) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getEncoder().encodeToString(bytes).equals(s) ? bytes : null;
    }

    /** @return standard base64 with padding */
    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Parses the ASCII decimal form of a non-negative {@code long}: {@code 0} or a non-zero digit followed by digits.
     *
     * @param where the prefix of the error message, e.g. {@code checkpoint line 2 (tree size)}
     */
    static long decimal(String s, String where) {
        if (s.isEmpty()) {
            throw new CheckpointFormatException(where + ": empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new CheckpointFormatException(where + ": " + quote(s)
                        + " is not an unsigned decimal number (only the digits 0-9 are allowed)");
            }
        }
        if (s.length() > 1 && s.charAt(0) == '0') {
            throw new CheckpointFormatException(where + ": " + quote(s) + " has a leading zero");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException(where + ": " + quote(s) + " exceeds " + Long.MAX_VALUE);
        }
    }

    /**
     * Decodes strict UTF-8.
     *
     * @throws CheckpointFormatException naming {@code what} if the bytes are not valid UTF-8
     */
    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(what + ": not valid UTF-8");
        }
    }

    /** @return the UTF-8 encoding; the caller has checked there are no unpaired surrogates */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the 1-based line number of character {@code index} */
    static int lineOf(String s, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Splits text that ends in a newline into its lines, without the newlines. */
    static String[] lines(String text) {
        String[] parts = text.split("\n", -1);
        return Arrays.copyOf(parts, parts.length - 1); // the empty string after the final newline
    }
}
