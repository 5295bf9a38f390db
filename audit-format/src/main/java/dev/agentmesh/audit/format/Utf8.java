package dev.agentmesh.audit.format;

import java.nio.charset.StandardCharsets;

/** UTF-8 for string fields, with the format's length limit. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * Encodes a string field. Writers encode each distinct string once and keep the bytes, so the hot path never
     * encodes.
     *
     * @param value the string; {@code null} is encoded as the empty string
     * @return its UTF-8 bytes
     * @throws IllegalArgumentException if the bytes exceed {@link TrailFormat#MAX_STRING_BYTES}
     */
    public static byte[] encode(String value) {
        byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > TrailFormat.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string field longer than " + TrailFormat.MAX_STRING_BYTES
                    + " UTF-8 bytes: " + value.substring(0, 40) + "...");
        }
        return bytes;
    }
}
