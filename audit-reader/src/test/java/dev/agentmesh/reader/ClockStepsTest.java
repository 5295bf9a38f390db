package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer whose wall clock was stepped back (NTP) leaves records in seq order whose times go back. {@code verify}
 * passes such a trail (exit 0) and says where, in {@code notice:} lines after its OK line; equal times are no step;
 * the list is capped; {@code report} counts the steps. The trails are real ones, written by {@link TrailFixture}
 * with explicit times.
 */
class ClockStepsTest {

    private static final long HOUR = 3_600_000L;
    private static final String WHY = "; not a verification failure: the records are in seq order and the chain "
            + "holds, but their times go back there (as when NTP steps the clock), so time ranges "
            + "(filter --since/--until) may not match seq ranges";

    @TempDir
    Path tmp;

    @Test
    void aClockSteppedBackIsANoticeAfterTheOkLineAndExitZero() throws Exception {
        long[] times = new long[24];
        for (int seq = 1; seq <= 16; seq++) {
            times[seq] = TrailFixture.timeOf(seq);
        }
        times[17] = times[16] - HOUR;             // NTP steps the clock back an hour
        for (int seq = 18; seq <= 21; seq++) {
            times[seq] = times[seq - 1] + 1000;
        }
        times[22] = times[21] - 1;                // and later back by a single millisecond
        times[23] = times[22] + 1000;
        Path dir = tmp.resolve("trail");
        String head = trailOfTimes(dir, times);
        Path state = tmp.resolve("app.state");

        Cli.Result r = Cli.run("verify", dir.toString(), "--state", state.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).hasSize(4);
        assertThat(r.outLines().get(0)).as("the verdict is unchanged and stays the first line")
                .startsWith("OK 24 records, head " + head + ", 0 denials, root ").doesNotContain("clock");
        assertThat(r.outLines().subList(1, 4)).containsExactly(
                "notice: the writer's clock went back 2 times, the largest step 3600.000 s at seq 17" + WHY,
                "notice: clock went back 3600.000 s at seq 17 (2025-03-01T08:30:16.000Z after "
                        + "2025-03-01T09:30:16.000Z at seq 16)",
                "notice: clock went back 0.001 s at seq 22 (2025-03-01T08:30:19.999Z after "
                        + "2025-03-01T08:30:20.000Z at seq 21)");
        assertThat(state).as("a verification that passed saves the state, notices or not").exists();
    }

    @Test
    void oneStepSaysOnce() throws Exception {
        Path dir = tmp.resolve("trail");
        trailOfTimes(dir, 0, TrailFixture.timeOf(1), TrailFixture.timeOf(1) - 2_500);

        Cli.Result r = Cli.run("verify", dir.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.outLines()).hasSize(3);
        assertThat(r.outLines().get(1)).isEqualTo("notice: the writer's clock went back once, 2.500 s at seq 2" + WHY);
        assertThat(r.outLines().get(2)).isEqualTo("notice: clock went back 2.500 s at seq 2 "
                + "(2025-03-01T09:29:58.500Z after 2025-03-01T09:30:01.000Z at seq 1)");
    }

    @Test
    void monotoneTimesGiveNoNotice() {
        Path dir = tmp.resolve("trail");
        TrailFixture.standard(dir, 40).close();

        Cli.Result r = Cli.run("verify", dir.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("OK 40 records, ").hasLineCount(1).doesNotContain("notice");
    }

    @Test
    void equalTimesAreNotAStepBack() throws Exception {
        // Records are stamped in whole milliseconds, so many share one: GENESIS and the next three share its time.
        long t = TrailFixture.START_MILLIS;
        Path same = tmp.resolve("same");
        trailOfTimes(same, 0, t, t, t, t + 5, t + 5, t + 5, t + 6);

        Cli.Result r = Cli.run("verify", same.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("OK 8 records, ").hasLineCount(1).doesNotContain("notice");

        // A step is measured from the record just before, not from the first of a run of equal times.
        Path afterEqual = tmp.resolve("after-equal");
        trailOfTimes(afterEqual, 0, t + 5, t + 5, t + 5, t + 4, t + 4, t + 9);

        Cli.Result back = Cli.run("verify", afterEqual.toString());

        assertThat(back.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(back.outLines()).hasSize(3);
        assertThat(back.outLines().get(1)).startsWith("notice: the writer's clock went back once, 0.001 s at seq 4;");
        assertThat(back.outLines().get(2)).isEqualTo("notice: clock went back 0.001 s at seq 4 "
                + "(2025-03-01T09:30:00.004Z after 2025-03-01T09:30:00.005Z at seq 3)");
    }

    @Test
    void theListIsCappedAtTenWithTheTotalAndTheLargestStepOfAll() throws Exception {
        // Every even seq from 2 to 50 goes back by seq milliseconds, except seq 40, which goes back two hours:
        // 25 steps, the largest after the first ten.
        long[] times = new long[51];
        for (int seq = 1; seq <= 50; seq++) {
            times[seq] = seq % 2 == 1 ? TrailFixture.START_MILLIS + seq * 10_000L
                    : times[seq - 1] - (seq == 40 ? 2 * HOUR : seq);
        }
        Path dir = tmp.resolve("trail");
        trailOfTimes(dir, times);

        Cli.Result r = Cli.run("verify", dir.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(1 + 1 + ClockSteps.MAX_LISTED);
        assertThat(lines.get(0)).startsWith("OK 51 records, ");
        assertThat(lines.get(1)).isEqualTo("notice: the writer's clock went back 25 times, the largest step "
                + "7200.000 s at seq 40 (the first 10 listed)" + WHY);
        List<String> expected = new ArrayList<>();
        for (int seq = 2; seq <= 20; seq += 2) {
            expected.add("notice: clock went back 0.0" + String.format("%02d", seq) + " s at seq " + seq + " ("
                    + IsoTime.of(times[seq]) + " after " + IsoTime.of(times[seq - 1]) + " at seq " + (seq - 1) + ")");
        }
        assertThat(lines.subList(2, lines.size())).containsExactlyElementsOf(expected);
    }

    @Test
    void anyTwoTimesAreMeasuredExactlyEvenALongApart() throws Exception {
        // The format's time is any i64; the difference of the extremes does not fit one, and must not wrap.
        Path dir = tmp.resolve("trail");
        trailOfTimes(dir, 0, Long.MAX_VALUE, Long.MIN_VALUE);

        Cli.Result r = Cli.run("verify", dir.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.outLines()).hasSize(3);
        assertThat(r.outLines().get(2)).isEqualTo("notice: clock went back 18446744073709551.615 s at seq 2 ("
                + IsoTime.of(Long.MIN_VALUE) + " after " + IsoTime.of(Long.MAX_VALUE) + " at seq 1)");
    }

    @Test
    void aFailedVerificationPrintsOnlyItsVerdict() throws Exception {
        Path dir = tmp.resolve("trail");
        trailOfTimes(dir, 0, TrailFixture.timeOf(1), TrailFixture.timeOf(1) - HOUR, TrailFixture.timeOf(3));
        TrailFixture.flipByteOf(dir, "agent-003");

        Cli.Result r = Cli.run("verify", dir.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.out()).startsWith("TAMPERED at record 3: ").hasLineCount(1).doesNotContain("notice");
    }

    @Test
    void reportCountsTheStepsInTextAndHtml() throws Exception {
        long[] times = {0, TrailFixture.timeOf(1), TrailFixture.timeOf(1) - HOUR, TrailFixture.timeOf(3),
            TrailFixture.timeOf(3) - 250, TrailFixture.timeOf(5)};
        Path dir = tmp.resolve("trail");
        trailOfTimes(dir, times);
        Path html = tmp.resolve("report.html");

        Cli.Result r = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        String note = "went back 2 times, the largest step 3600.000 s at seq 2: not a break, but times are out of "
                + "order there; 'verify' lists where";
        assertThat(r.outLines()).contains("  clock      " + note);
        assertThat(Files.readString(html, StandardCharsets.UTF_8))
                .contains("<dt>Clock</dt><dd>The writer's clock " + note.replace("'", "&#39;") + "</dd>");

        Path monotone = tmp.resolve("monotone");
        TrailFixture.standard(monotone, 10).close();
        Path quietHtml = tmp.resolve("quiet.html");
        Cli.Result quiet = Cli.run("report", monotone.toString(), "--html", quietHtml.toString());
        assertThat(quiet.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(quiet.out()).doesNotContain("clock");
        assertThat(Files.readString(quietHtml, StandardCharsets.UTF_8)).doesNotContain("<dt>Clock</dt>");
    }

    /**
     * Writes GENESIS at {@link TrailFixture#START_MILLIS}, then one ALLOW for each of {@code times} after the first
     * (index 0 stands for GENESIS and is not used), at that time; the agent id {@code agent-<seq>} marks each.
     *
     * @return the head hash, hex
     */
    private static String trailOfTimes(Path dir, long... times) {
        try (TrailFixture trail = TrailFixture.create(dir)) {
            for (int seq = 1; seq < times.length; seq++) {
                trail.at(times[seq]).decision(RecordType.CALL_ALLOWED, TrailFixture.agentId(seq), 2, 2, "",
                        "com.acme.Tools", "search", "()V");
            }
            return Hex.of(trail.headHash());
        }
    }
}
