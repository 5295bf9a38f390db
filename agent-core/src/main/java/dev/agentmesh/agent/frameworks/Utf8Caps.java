package dev.agentmesh.agent.frameworks;

import dev.agentmesh.audit.format.Utf8;

/** UTF-8 for record fields whose writer caps their length: cut at a character boundary, never mid-character. */
final class Utf8Caps {

    private Utf8Caps() {
    }

    /**
     * @param value the text
     * @param maxBytes the most bytes the field may hold
     * @return {@code value} in UTF-8, its longest prefix of whole characters that fits
     */
    static byte[] encode(String value, int maxBytes) {
        byte[] utf8 = Utf8.encode(value);
        if (utf8.length <= maxBytes) {
            return utf8;
        }
        int end = maxBytes;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // utf8[end] continues the character before it: cut before that character starts
        }
        return java.util.Arrays.copyOf(utf8, end);
    }
}
