package dev.agentmesh.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link RecordClock}: Chronicle sees the record's own stamp while it is written, the system clock otherwise. */
class RecordClockTest {

    private final RecordClock clock = new RecordClock();

    @Test
    void holdsTheStampOfTheRecordBeingWritten() throws InterruptedException {
        long stamped = clock.stamp();
        Thread.sleep(5);

        assertThat(clock.currentTimeMillis()).isEqualTo(stamped);
    }

    @Test
    void followsTheSystemClockOnceTheRecordIsWritten() throws InterruptedException {
        long stamped = clock.stamp();
        clock.clear();
        Thread.sleep(5);

        assertThat(clock.currentTimeMillis()).isGreaterThan(stamped);
    }

    @Test
    void followsTheSystemClockBeforeAnyRecord() {
        long before = System.currentTimeMillis();

        assertThat(clock.currentTimeMillis()).isBetween(before, System.currentTimeMillis());
    }
}
