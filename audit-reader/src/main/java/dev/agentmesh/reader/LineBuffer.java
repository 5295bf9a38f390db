package dev.agentmesh.reader;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * A growable line of characters that export formats write into and {@link RecordPrinter} hands to the output in one
 * call. Reused for every record, so printing allocates nothing.
 *
 * <p>Hand-written instead of using {@link StringBuilder}: export writes about 500 characters per record, a million
 * records a second, and {@code StringBuilder}'s per-character append (a capacity check and a Latin-1 check for each
 * one) and {@link java.util.HexFormat}'s {@code Appendable} path cost more than verifying the record. Here digits,
 * hex and ASCII go straight into the array.
 */
final class LineBuffer implements CharSequence {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private char[] chars;
    private int length;

    /** A buffer with room for a typical record's line. */
    LineBuffer() {
        this(512);
    }

    /** @param capacity initial room, in characters */
    LineBuffer(int capacity) {
        chars = new char[capacity];
    }

    /** Empties the buffer, keeping its room. */
    void clear() {
        length = 0;
    }

    /**
     * @param c a character
     * @return this
     */
    LineBuffer append(char c) {
        room(1);
        chars[length++] = c;
        return this;
    }

    /**
     * @param s text, appended as is
     * @return this
     */
    LineBuffer append(String s) {
        int n = s.length();
        room(n);
        s.getChars(0, n, chars, length);
        length += n;
        return this;
    }

    /**
     * @param value an integer, in decimal
     * @return this
     */
    LineBuffer append(long value) {
        if (value == Long.MIN_VALUE) {
            return append(Long.toString(value));
        }
        room(20);
        if (value < 0) {
            chars[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            chars[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /**
     * Appends {@code value} in decimal, zero-padded to {@code width} digits.
     *
     * @param value a non-negative integer below {@code 10^width}
     * @param width how many digits
     * @return this
     */
    LineBuffer appendPadded(int value, int width) {
        room(width);
        for (int i = length + width - 1; i >= length; i--) {
            chars[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        length += width;
        return this;
    }

    /**
     * @param bytes buffer holding the bytes to show as lower-case hex
     * @param from first index
     * @param to end index, exclusive
     * @return this
     */
    LineBuffer appendHex(byte[] bytes, int from, int to) {
        room(2 * (to - from));
        for (int i = from; i < to; i++) {
            chars[length++] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            chars[length++] = HEX_DIGITS[bytes[i] & 0xF];
        }
        return this;
    }

    /** @param c a character below 0x100 @return this, after {@code \\u00XX} for it */
    LineBuffer appendUnicodeEscape(char c) {
        return append('\\').append('u').append('0').append('0').append(HEX_DIGITS[(c >> 4) & 0xF])
                .append(HEX_DIGITS[c & 0xF]);
    }

    /** @param out where to write the characters */
    void writeTo(PrintWriter out) {
        out.write(chars, 0, length);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }

    private void room(int n) {
        if (length + n > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(length + n, chars.length * 2));
        }
    }
}
