package dev.agentmesh.agent.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The trail queue's clock: while a record is being written, the time stamped on that record; otherwise the system
 * clock. Chronicle reads its clock on every append to pick the cycle file, so sharing the record's stamp saves one
 * clock read per record (a measured few per cent of a governed call on this project's VM, where each read costs
 * about 30 ns) and makes a record's time and its cycle file agree even at the turn of a cycle.
 *
 * <p>Chronicle's time never goes back, though the system clock may (an NTP step): Chronicle would file a record
 * stamped earlier into an earlier cycle file, which reads before the records written just ahead of it, so the trail
 * would read out of order and fail to verify. Chronicle is given the latest time it was given before, while the
 * record keeps the time the clock said, for the reader to report the step.
 *
 * <p>The stamp and the floor are set by the writer under the trail's lock. Other threads that happen to read the
 * clock meanwhile see values at most one write old, with opaque access, so never a torn value.
 */
final class RecordClock implements TimeProvider {

    private static final VarHandle STAMP;
    private static final VarHandle FLOOR;

    static {
        try {
            STAMP = MethodHandles.lookup().findVarHandle(RecordClock.class, "stamp", long.class);
            FLOOR = MethodHandles.lookup().findVarHandle(RecordClock.class, "floor", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STAMP
    private long stamp;

    @SuppressWarnings("unused") // accessed through FLOOR
    private long floor;

    /** Added to the system clock: only ever set by tests, to step the clock as an NTP adjustment would. */
    private volatile long shiftMillis;

    /**
     * Reads the system clock for the record about to be written and holds it, or the latest time Chronicle was given
     * if that is later, until {@link #clear()}.
     *
     * @return the time, in milliseconds since the epoch, as the system clock says it
     */
    long stamp() {
        long now = System.currentTimeMillis() + shiftMillis;
        long latest = (long) FLOOR.getOpaque(this);
        if (now > latest) {
            FLOOR.setOpaque(this, now);
            latest = now;
        }
        STAMP.setOpaque(this, latest);
        return now;
    }

    /**
     * Chronicle is never given a time before this from now on: the start of the trail's last cycle file, when a trail
     * is continued by a JVM whose clock is behind the one that wrote it.
     *
     * @param millis the time, in milliseconds since the epoch
     */
    void notBefore(long millis) {
        if (millis > (long) FLOOR.getOpaque(this)) {
            FLOOR.setOpaque(this, millis);
        }
    }

    /** Goes back to the system clock once the record is written. */
    void clear() {
        STAMP.setOpaque(this, 0L);
    }

    @Override
    public long currentTimeMillis() {
        long stamped = (long) STAMP.getOpaque(this);
        return stamped != 0 ? stamped : Math.max(System.currentTimeMillis() + shiftMillis, (long) FLOOR.getOpaque(this));
    }

    /**
     * Steps the clock, as an NTP adjustment steps the system's: for tests of what a clock going backwards does.
     *
     * @param millis how far to step it, on top of any earlier step; negative steps it back
     */
    void shift(long millis) {
        shiftMillis += millis;
    }
}
