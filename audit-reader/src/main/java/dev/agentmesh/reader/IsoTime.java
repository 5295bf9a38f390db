package dev.agentmesh.reader;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Record times as exports show them: ISO-8601 in UTC, always with milliseconds, so every value sorts as text. */
final class IsoTime {

    // ISO_INSTANT would drop ".000" on whole seconds, breaking the fixed width.
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private IsoTime() {
    }

    /**
     * @param epochMillis epoch milliseconds
     * @return e.g. {@code 2025-03-01T09:30:00.000Z}
     */
    static String of(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
}
