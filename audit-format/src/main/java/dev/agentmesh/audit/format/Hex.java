package dev.agentmesh.audit.format;

import java.util.HexFormat;

/** Lower-case hex, as the trail's hashes are shown everywhere. */
public final class Hex {

    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    /** @param bytes bytes @return lower-case hex */
    public static String of(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** @param hex hex digits @return the bytes */
    public static byte[] parse(String hex) {
        return HEX.parseHex(hex);
    }
}
