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

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the four-digit years the fast path handles. */
    private static final long FIRST_FAST = -62_167_219_200_000L;
    private static final long LAST_FAST = 253_402_300_799_999L;

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IsoTime() {
    }

    /**
     * @param epochMillis epoch milliseconds
     * @return e.g. {@code 2025-03-01T09:30:00.000Z}
     */
    static String of(long epochMillis) {
        LineBuffer out = new LineBuffer(24);
        append(epochMillis, out);
        return out.toString();
    }

    /**
     * Appends the same text as {@link #of}. Years 0–9999 are computed by hand, with nothing allocated: the
     * formatter costs more than verifying the record, and export shows one time per record. Other years, which
     * only a forged record could carry, go through the formatter.
     *
     * @param epochMillis epoch milliseconds
     * @param out where to append
     */
    static void append(long epochMillis, LineBuffer out) {
        if (epochMillis < FIRST_FAST || epochMillis > LAST_FAST) {
            out.append(FORMAT.format(Instant.ofEpochMilli(epochMillis)));
            return;
        }
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // Days to civil date: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        out.appendPadded(year, 4).append('-').appendPadded(month, 2).append('-').appendPadded(day, 2).append('T')
                .appendPadded(millisOfDay / 3_600_000, 2).append(':').appendPadded(millisOfDay / 60_000 % 60, 2)
                .append(':').appendPadded(millisOfDay / 1000 % 60, 2).append('.').appendPadded(millisOfDay % 1000, 3)
                .append('Z');
    }
}
