package dev.agentmesh.reader;

import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code saga <dir> [<sagaId>]}: one saga's timeline, or the list of every saga, from a verified trail
 * ({@link SagaTrail}).
 */
class SagaCommandTest {

    @TempDir
    Path tmp;

    private Path dir;

    @BeforeEach
    void writeTrail() {
        dir = tmp.resolve("trail");
        SagaTrail.write(dir);
    }

    @Test
    void timelineOfACompletedSaga() {
        Cli.Result result = Cli.run("saga", dir.toString(), SagaTrail.A);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        // The ALLOW and RETURNED at 3 and 4 are calls, not the saga's records: they are not in its timeline.
        assertThat(result.outLines()).containsExactly(
                "Saga trip-0a1b2c3d4e5f",
                "  name      trip",
                "  session   s-1",
                "  agent     planner",
                "  started   2025-03-01T09:30:01.000Z (seq 1)",
                "  verified  45 records, hash chain intact",
                "",
                "Timeline",
                "  OFFSET   STEP         ATTEMPT  EVENT            DURATION  DETAIL",
                "  +0.000s                        saga started               trip as planner, 2 steps, 3 attempts a "
                        + "step",
                "  +1.000s  book-flight        1  started                    key trip-0a1b2c3d4e5f:book-flight",
                "  +4.000s  book-flight        1  completed       12.000 ms",
                "  +5.000s  book-hotel         1  started                    key trip-0a1b2c3d4e5f:book-hotel, flags "
                        + "pivot",
                "  +6.000s  book-hotel         1  completed        3.000 ms",
                "  +7.000s                        saga completed",
                "",
                "End",
                "  state     COMPLETED at 2025-03-01T09:30:08.000Z",
                "  duration  7.000s");
    }

    @Test
    void timelineOfACompensatedSagaShowsRetriesAndTheFailedCompensation() {
        Cli.Result result = Cli.run("saga", dir.toString(), SagaTrail.B);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        List<String> lines = result.outLines();
        assertThat(lines).contains("  session   -", "  agent     booker");
        assertThat(lines).contains("  OFFSET    STEP         ATTEMPT  EVENT                              "
                + "DURATION  DETAIL");
        List<String> timeline = section(rows(result.out()), "Timeline");
        assertThat(timeline.subList(1, timeline.size())).containsExactly(
                "+0.000s saga started trip as booker",
                "+1.000s book-flight 1 started key trip-77aa88bb99cc:book-flight",
                "+3.000s book-flight 1 completed 10.000 ms",
                // A key the application chose, and the step's flags
                "+4.000s book-hotel 1 started key hotel-key-7, flags group=1",
                "+5.000s book-hotel 1 failed (retry) 3.100 ms java.io.IOException: no rooms",
                "+7.000s book-hotel 2 started key hotel-key-7, flags group=1",
                "+8.000s book-hotel 2 failed (final, effect unknown) 5000.000 ms " + SagaTrail.TIMEOUT,
                "+9.000s compensating " + SagaTrail.TIMEOUT,
                "+10.000s book-hotel 1 compensation started",
                "+11.000s book-hotel 1 compensated 1.000 ms",
                "+12.000s book-flight 1 compensation started",
                "+13.000s book-flight 1 compensation failed (retry) 2.000 ms java.io.IOException: airline down",
                "+14.000s book-flight 2 compensation started",
                "+15.000s book-flight 2 compensated 1.500 ms",
                "+16.000s saga compensated");
        assertThat(lines).endsWith("End", "  state     COMPENSATED at 2025-03-01T09:30:25.000Z", "  duration  16.000s");
        // Saga C's records fall among B's; none of them is in B's timeline.
        assertThat(result.out()).doesNotContain("charge", SagaTrail.C);
    }

    @Test
    void timelineOfASagaWhoseCompensationFailedForGood() {
        Cli.Result result = Cli.run("saga", dir.toString(), SagaTrail.E);
        List<String> lines = result.outLines();

        assertThat(lines).contains("  session   -", "  agent     -");
        assertThat(section(rows(result.out()), "Timeline")).contains(
                "+7.000s reserve 1 compensation failed (final) 1.000 ms java.lang.IllegalStateException: gone",
                "+8.000s saga compensation failed an operator is needed");
        assertThat(lines).endsWith("  state     COMPENSATION_FAILED at 2025-03-01T09:30:44.000Z",
                "  duration  8.000s");
    }

    @Test
    void anUnfinishedSagaSaysWhatItWasDoingAndThatARestartRecoversIt() {
        Cli.Result running = Cli.run("saga", dir.toString(), SagaTrail.C);

        assertThat(running.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(section(rows(running.out()), "Timeline")).containsExactly(
                "OFFSET STEP ATTEMPT EVENT DURATION DETAIL", "+0.000s saga started pay as planner",
                "+4.000s charge 1 started key pay-1234567890ab:charge");
        assertThat(running.outLines()).endsWith(
                "  state     unfinished: RUNNING: no end event on the trail; a restart of the application will "
                        + "recover it",
                "  duration  4.000s so far, to its last record at 2025-03-01T09:30:15.000Z");

        // D was compensating when its run died; the next run (a new GENESIS) took it over, and the trail ends.
        Cli.Result recovered = Cli.run("saga", dir.toString(), SagaTrail.D);
        List<String> compensating = recovered.outLines();
        assertThat(section(rows(recovered.out()), "Timeline")).endsWith(
                "+6.000s lookup 1 compensation started",
                "+8.000s recovering recovered by writer-2",
                "+9.000s lookup 2 compensation started");
        assertThat(compensating).endsWith(
                "  state     unfinished: COMPENSATING: no end event on the trail; a restart of the application "
                        + "will recover it",
                "  duration  9.000s so far, to its last record at 2025-03-01T09:30:35.000Z");
    }

    @Test
    void withoutAnIdItListsEverySagaAndHowItEnded() {
        Cli.Result result = Cli.run("saga", dir.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.outLines()).containsExactly(
                "Sagas in " + dir + " (5; 45 records verified, hash chain intact)",
                "  SAGA                 NAME    SESSION  STATE                     STEPS  STARTED",
                "  trip-0a1b2c3d4e5f    trip    s-1      COMPLETED                     2  2025-03-01T09:30:01.000Z",
                "  trip-77aa88bb99cc    trip    -        COMPENSATED                   2  2025-03-01T09:30:09.000Z",
                "  pay-1234567890ab     pay     s-1      unfinished: RUNNING           1  2025-03-01T09:30:11.000Z",
                "  refund-00000000000d  refund  s-2      unfinished: COMPENSATING      2  2025-03-01T09:30:26.000Z",
                "  order-00000000000e   order   -        COMPENSATION_FAILED           2  2025-03-01T09:30:36.000Z",
                "",
                "2 sagas have no end event: a restart of the application will recover them.");
    }

    @Test
    void jsonlListsOneObjectPerSaga() {
        Cli.Result result = Cli.run("saga", dir.toString(), "--format", "jsonl");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        List<Map<String, Object>> sagas = result.outLines().stream().map(MiniJson::parseObject).toList();
        assertThat(sagas).extracting(s -> s.get("sagaId")).containsExactly(SagaTrail.A, SagaTrail.B, SagaTrail.C,
                SagaTrail.D, SagaTrail.E);
        assertThat(sagas).extracting(s -> s.get("state")).containsExactly("COMPLETED", "COMPENSATED", "RUNNING",
                "COMPENSATING", "COMPENSATION_FAILED");
        assertThat(sagas).extracting(s -> s.get("ended")).containsExactly(true, true, false, false, true);
        assertThat(sagas.get(1)).containsExactly(Map.entry("sagaId", SagaTrail.B), Map.entry("name", "trip"),
                Map.entry("sessionId", ""), Map.entry("agentId", "booker"),
                Map.entry("start", "2025-03-01T09:30:09.000Z"), Map.entry("startMillis", TrailFixture.timeOf(9)),
                Map.entry("state", "COMPENSATED"), Map.entry("ended", true), Map.entry("durationMillis", 16_000L),
                Map.entry("steps", 2L), Map.entry("records", 15L));
    }

    @Test
    void jsonlTimelineIsOneObjectWithItsEvents() {
        Cli.Result result = Cli.run("saga", dir.toString(), SagaTrail.B, "--format", "JSONL");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.outLines()).hasSize(1);
        Map<String, Object> saga = MiniJson.parseObject(result.outLines().get(0));
        assertThat(saga).containsEntry("state", "COMPENSATED").containsEntry("records", 15L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) saga.get("events");
        assertThat(events).hasSize(15);
        assertThat(events.get(3)).containsExactly(Map.entry("seq", 13L),
                Map.entry("time", "2025-03-01T09:30:13.000Z"), Map.entry("offsetMillis", 4000L),
                Map.entry("event", "STEP_STARTED"), Map.entry("step", "book-hotel"), Map.entry("attempt", 1L),
                Map.entry("what", "started"), Map.entry("idempotencyKey", "hotel-key-7"),
                Map.entry("flags", "group=1"), Map.entry("detail", ""),
                Map.entry("data", "com.acme.Hotels#cancel\nhotel-key-7\ngroup=1"));
        assertThat(events.get(6)).containsEntry("what", "failed (final, effect unknown)")
                .containsEntry("durationNanos", 5_000_000_000L).containsEntry("data", "final,unknown");
        assertThat(events.get(14)).containsOnlyKeys("seq", "time", "offsetMillis", "event", "what", "detail", "data")
                .containsEntry("event", "SAGA_COMPENSATED");
    }

    @Test
    void anUnknownIdIsOneLineAndExit4() {
        Cli.Result result = Cli.run("saga", dir.toString(), "trip-ffffffffffff");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("no saga 'trip-ffffffffffff' in " + dir + " (45 records verified): 'saga "
                + dir + "' lists the sagas it holds" + System.lineSeparator());
    }

    @Test
    void aTamperedTrailIsRefusedAndNothingIsPrinted() throws Exception {
        TrailFixture.flipByteOf(dir, SagaTrail.MARKER_22);

        // B's own record 22 was altered; A ended before it, but the whole chain must verify.
        for (String[] args : List.of(new String[] {"saga", dir.toString(), SagaTrail.B},
                new String[] {"saga", dir.toString(), SagaTrail.A},
                new String[] {"saga", dir.toString(), "--format", "jsonl"},
                new String[] {"saga", dir.toString(), "trip-ffffffffffff"})) {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.TAMPERED);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).startsWith("TAMPERED at record 22: hash mismatch").hasLineCount(1);
        }
    }

    @Test
    void noTrailAndNoSagas() {
        Cli.Result missing = Cli.run("saga", tmp.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(missing.err()).endsWith("no such directory" + System.lineSeparator());

        Path plain = tmp.resolve("plain");
        TrailFixture.standard(plain, 5).close();
        assertThat(Cli.run("saga", plain.toString()).outLines()).containsExactly(
                "Sagas in " + plain + " (0; 5 records verified, hash chain intact)");
        assertThat(Cli.run("saga", plain.toString(), "--format", "jsonl").out()).isEmpty();
        assertThat(Cli.run("saga", plain.toString(), SagaTrail.A).exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(Cli.run("saga", plain.toString(), "--format", "csv").exitCode()).isEqualTo(ExitCodes.UNREADABLE);
    }

    @Test
    void elapsedTimeIsReadable() {
        assertThat(SagaCommand.elapsed(0)).isEqualTo("0.000s");
        assertThat(SagaCommand.elapsed(7_250)).isEqualTo("7.250s");
        assertThat(SagaCommand.elapsed(65_000)).isEqualTo("1m05.000s");
        assertThat(SagaCommand.elapsed(3_725_001)).isEqualTo("1h02m05.001s");
        assertThat(SagaCommand.elapsed(90_000_000)).isEqualTo("1d01h00m00.000s");
        assertThat(SagaCommand.elapsed(-500)).isEqualTo("-0.500s");
        assertThat(SagaCommand.elapsed(Long.MIN_VALUE)).startsWith("-106751991167d");
    }
}
