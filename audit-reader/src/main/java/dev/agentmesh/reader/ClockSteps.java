package dev.agentmesh.reader;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the writer's wall clock went back: each record whose time is earlier than the time of the record before it,
 * in trail order. The writer stamps a record with the wall clock when it takes its place in the chain, so when NTP
 * steps the clock back, the seqs stay in order and the chain holds, but the times go back. That is not tampering, and
 * no check fails on it; but an auditor reading times, or selecting records by time ({@code filter --since}), needs to
 * know where the times are out of order. Equal times are not a step: records are stamped in whole milliseconds, so
 * many share one.
 *
 * <p>Bounded memory: the first {@link #MAX_LISTED} steps are kept, with the largest and the count of all.
 */
final class ClockSteps {

    /** How many steps are listed one by one; the rest are only counted. */
    static final int MAX_LISTED = 10;

    /**
     * One step back.
     *
     * @param seq the record whose time is earlier than its predecessor's
     * @param previousMillis the time of the record before it, at {@code seq - 1}
     * @param timeMillis its own time
     */
    record Step(long seq, long previousMillis, long timeMillis) {

        /**
         * @return how far the clock went back, in seconds with three decimals, exactly ({@code 3600.000}); any two
         *     times are compared, even ones a whole {@code long} apart
         */
        String seconds() {
            // The difference of two longs can exceed Long.MAX_VALUE; it is positive, so read it unsigned.
            long back = previousMillis - timeMillis;
            return Long.toUnsignedString(Long.divideUnsigned(back, 1000)) + "."
                    + String.format(Locale.ROOT, "%03d", Long.remainderUnsigned(back, 1000));
        }

        /** @return {@code clock went back 3600.000 s at seq 17 (<its time> after <the time of seq 16>)} */
        String describe() {
            return "clock went back " + seconds() + " s at seq " + seq + " (" + IsoTime.of(timeMillis) + " after "
                    + IsoTime.of(previousMillis) + " at seq " + (seq - 1) + ")";
        }

        /** @return whether this step goes further back than {@code other} */
        boolean largerThan(Step other) {
            return Long.compareUnsigned(previousMillis - timeMillis, other.previousMillis - other.timeMillis) > 0;
        }
    }

    private final List<Step> listed = new ArrayList<>();
    private long count;
    private Step largest;
    private boolean started;
    private long previousMillis;

    /**
     * @param seq the next record's seq, in trail order
     * @param timeMillis its time
     */
    void accept(long seq, long timeMillis) {
        if (started && timeMillis < previousMillis) {
            Step step = new Step(seq, previousMillis, timeMillis);
            count++;
            if (listed.size() < MAX_LISTED) {
                listed.add(step);
            }
            if (largest == null || step.largerThan(largest)) {
                largest = step;
            }
        }
        started = true;
        previousMillis = timeMillis;
    }

    /** @return how many times the clock went back */
    long count() {
        return count;
    }

    /** @return the first {@link #MAX_LISTED} steps, in trail order */
    List<Step> listed() {
        return List.copyOf(listed);
    }

    /** @return the step that went furthest back (the first of equals), or {@code null} if there was none */
    Step largest() {
        return largest;
    }

    /**
     * @return {@code went back 2 times, the largest step 3600.000 s at seq 17}, for a one-line summary; empty if the
     *     clock never went back
     */
    String summary() {
        if (count == 0) {
            return "";
        }
        return "went back " + times(count) + (count == 1 ? ", " : ", the largest step ") + largest.seconds()
                + " s at seq " + largest.seq();
    }

    /**
     * What {@code verify} prints after its OK line: a line saying how many times the clock went back and why that is
     * no failure, then one line per listed step, each starting {@code notice: }, so a script can keep to the OK line
     * ({@code head -1}) or drop the notices ({@code grep -v '^notice: '}).
     *
     * @return the lines, none if the clock never went back
     */
    List<String> notices() {
        List<String> lines = new ArrayList<>();
        if (count == 0) {
            return lines;
        }
        String listedNote = count > listed.size() ? " (the first " + listed.size() + " listed)" : "";
        lines.add("notice: the writer's clock " + summary() + listedNote + "; not a verification failure: the "
                + "records are in seq order and the chain holds, but their times go back there (as when NTP steps "
                + "the clock), so time ranges (filter --since/--until) may not match seq ranges");
        for (Step step : listed) {
            lines.add("notice: " + step.describe());
        }
        return lines;
    }

    private static String times(long n) {
        return n == 1 ? "once" : n + " times";
    }
}
