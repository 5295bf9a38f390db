package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.RecordType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeTrail() {
        // seq  record                                                      time 2025-03-01T09:30:<seq>Z
        //   0  GENESIS
        //   1  ALLOW   alice   ring 1  s-1  com.acme.Tools#search
        //   2  ALLOW   bob     ring 2  s-2  com.acme.Files#write
        //   3  RETURNED call 1                   s-1
        //   4  DENY    mallory ring 3  ""   com.acme.Bank#transfer
        //   5  THREW   call 2                    s-2
        //   6  ALLOW   alice   ring 1  s-1  com.acme.Bank#transfer
        //   7  DENY    bob     ring 2  s-2  com.acme.Bank#transfer
        //   8  ALLOW   alice   ring 1  s-2  com.acme.legacy.Tools#search
        //   9  RETURNED call 6                   s-1
        //  10  ALLOW   ops     ring 0  ""   com.acme.Files#delete         never ends
        //  11  THREW   call 8                    s-2
        // Outcomes come some records after their call, as they do with calls on several threads.
        try (TrailFixture trail = TrailFixture.create(dir)) {
            trail.decision(RecordType.CALL_ALLOWED, "alice", 1, 2, "s-1", "com.acme.Tools", "search", "()V")
                    .decision(RecordType.CALL_ALLOWED, "bob", 2, 2, "s-2", "com.acme.Files", "write", "()V")
                    .outcome(RecordType.CALL_RETURNED, 1, 10L, "", "s-1")
                    .decision(RecordType.CALL_DENIED, "mallory", 3, 1, "", "com.acme.Bank", "transfer", "()V")
                    .outcome(RecordType.CALL_THREW, 2, 10L, "java.io.IOException", "s-2")
                    .decision(RecordType.CALL_ALLOWED, "alice", 1, 1, "s-1", "com.acme.Bank", "transfer", "()V")
                    .decision(RecordType.CALL_DENIED, "bob", 2, 1, "s-2", "com.acme.Bank", "transfer", "()V")
                    .decision(RecordType.CALL_ALLOWED, "alice", 1, 3, "s-2", "com.acme.legacy.Tools", "search",
                            "()V")
                    .outcome(RecordType.CALL_RETURNED, 6, 10L, "", "s-1")
                    .decision(RecordType.CALL_ALLOWED, "ops", 0, 0, "", "com.acme.Files", "delete", "()V")
                    .outcome(RecordType.CALL_THREW, 8, 10L, "java.lang.IllegalStateException", "s-2");
        }
    }

    @Test
    void noCriteriaIsTheWholeExport() {
        for (String format : new String[] {"jsonl", "csv", "text"}) {
            Cli.Result filtered = Cli.run("filter", dir.toString(), "--format", format);

            assertThat(filtered.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(filtered.err()).isEmpty();
            assertThat(filtered.out()).as(format)
                    .isEqualTo(Cli.run("export", dir.toString(), "--format", format).out());
        }
    }

    @Test
    void jsonlIsTheDefaultFormat() {
        assertThat(Cli.run("filter", dir.toString(), "--agent", "bob").out())
                .isEqualTo(Cli.run("filter", dir.toString(), "--agent", "bob", "--format", "jsonl").out());
    }

    @Test
    void agentBringsTheOutcomesOfItsCalls() {
        assertThat(seqs("--agent", "alice")).containsExactly(1L, 3L, 6L, 8L, 9L, 11L);
        assertThat(seqs("--agent", "alice", "--agent", "ops")).containsExactly(1L, 3L, 6L, 8L, 9L, 10L, 11L);
    }

    @Test
    void session() {
        assertThat(seqs("--session", "s-2")).containsExactly(2L, 5L, 7L, 8L, 11L);
        assertThat(seqs("--session", "")).as("outside any session").containsExactly(4L, 10L);
    }

    @Test
    void sessionSelectsOutcomesOnTheirOwnSessionIdAndTime() {
        // Call 2 (s-2) started before the window; its THREW, at 5, is in it and carries s-2.
        assertThat(seqs("--session", "s-2", "--since", "2025-03-01T09:30:04Z")).containsExactly(5L, 7L, 8L, 11L);
        // A shown call still brings its outcome, even one after the window.
        assertThat(seqs("--session", "s-2", "--until", "2025-03-01T09:30:03Z")).containsExactly(2L, 5L);
        assertThat(seqs("--session", "s-1", "--decision", "RETURNED")).containsExactly(3L, 9L);
        // With a criterion an outcome cannot test, outcomes show only with the calls they close.
        assertThat(seqs("--session", "s-2", "--agent", "bob", "--since", "2025-03-01T09:30:04Z"))
                .containsExactly(7L);
    }

    @Test
    void method() {
        assertThat(seqs("--method", "transfer")).containsExactly(4L, 6L, 7L, 9L);
        assertThat(seqs("--method", "Tools#search")).as("both Tools classes").containsExactly(1L, 3L, 8L, 11L);
        assertThat(seqs("--method", "com.acme.Tools#search")).containsExactly(1L, 3L);
        assertThat(seqs("--method", "*Files#*")).containsExactly(2L, 5L, 10L);
        assertThat(seqs("--method", "com.acme.legacy.*#*")).containsExactly(8L, 11L);
        assertThat(seqs("--method", "write", "--method", "delete")).containsExactly(2L, 5L, 10L);
    }

    @Test
    void ringIsTheAgentsRing() {
        assertThat(seqs("--ring", "2")).containsExactly(2L, 5L, 7L);
        assertThat(seqs("--ring", "0,3")).containsExactly(4L, 10L);
        assertThat(seqs("--ring", "0", "--ring", "3")).containsExactly(4L, 10L);
    }

    @Test
    void decision() {
        assertThat(seqs("--decision", "DENY")).containsExactly(4L, 7L);
        assertThat(seqs("--decision", "allow")).containsExactly(1L, 2L, 3L, 5L, 6L, 8L, 9L, 10L, 11L);
        assertThat(seqs("--decision", "deny,Allow")).as("every call, no GENESIS")
                .containsExactly(LongStream.rangeClosed(1, 11).boxed().toArray(Long[]::new));
    }

    @Test
    void anOutcomeDecisionShowsOnlyThoseOutcomes() {
        assertThat(seqs("--decision", "THREW")).containsExactly(5L, 11L);
        assertThat(seqs("--decision", "RETURNED", "--agent", "alice")).containsExactly(3L, 9L);
        assertThat(seqs("--decision", "ALLOW", "--decision", "threw")).containsExactly(1L, 2L, 5L, 6L, 8L, 10L,
                11L);
    }

    @Test
    void criteriaCombine() {
        assertThat(seqs("--agent", "alice", "--session", "s-2")).containsExactly(8L, 11L);
        assertThat(seqs("--agent", "bob", "--decision", "DENY")).containsExactly(7L);
        assertThat(seqs("--method", "transfer", "--ring", "1")).containsExactly(6L, 9L);
        assertThat(seqs("--agent", "alice", "--decision", "THREW")).containsExactly(11L);
    }

    @Test
    void sinceIsInclusive() {
        assertThat(seqs("--since", "2025-03-01T09:30:06Z")).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void untilIsExclusive() {
        assertThat(seqs("--until", "2025-03-01T09:30:06Z")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void timeBoundsSelectCallsAndOutcomesFollowThem() {
        // The RETURNED at 3 closes a call made before the window, so it is not shown though it lies inside.
        assertThat(seqs("--since", "2025-03-01T09:30:02Z")).containsExactly(2L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        // The THREW at 11 closes the call at 8, inside the window, so it is shown though it lies after it.
        assertThat(seqs("--until", "2025-03-01T09:30:09Z")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L,
                9L, 11L);
    }

    @Test
    void timesMayBeEpochMillis() {
        assertThat(seqs("--since", Long.toString(TrailFixture.timeOf(6)), "--until",
                Long.toString(TrailFixture.timeOf(8)))).containsExactly(6L, 7L, 9L);
        assertThat(seqs("--since", "2025-03-01T10:30:06+01:00", "--until", "2025-03-01T09:30:08Z"))
                .containsExactly(6L, 7L, 9L);
    }

    @Test
    void linesAreExactlyExportsLines() {
        for (String format : new String[] {"jsonl", "csv", "text"}) {
            List<String> all = Cli.run("export", dir.toString(), "--format", format).outLines();
            int skip = format.equals("jsonl") ? 0 : 1;
            List<String> expected = new ArrayList<>(all.subList(0, skip));
            for (long seq : new long[] {1, 3, 6, 8, 9, 11}) {
                expected.add(all.get(skip + (int) seq));
            }

            Cli.Result result = Cli.run("filter", dir.toString(), "--agent", "alice", "--format", format);

            assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(result.outLines()).as(format).isEqualTo(expected);
        }
        assertThat(Cli.run("filter", dir.toString(), "--agent", "alice", "--format", "csv").out())
                .startsWith(CsvFormat.HEADER).endsWith("\r\n");
    }

    @Test
    void noMatchIsSuccessWithNothingButTheHeader() {
        Cli.Result jsonl = Cli.run("filter", dir.toString(), "--agent", "nobody");
        Cli.Result csv = Cli.run("filter", dir.toString(), "--agent", "nobody", "--format", "csv");

        assertThat(jsonl.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(jsonl.out()).isEmpty();
        assertThat(csv.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(csv.out()).isEqualTo(CsvFormat.HEADER);
    }

    @Test
    void tamperingStopsTheFilterEvenInARecordThatDoesNotMatch() throws Exception {
        TrailFixture.flipByteOf(dir, "mallory");

        Cli.Result result = Cli.run("filter", dir.toString(), "--agent", "alice");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(seqsOf(result)).containsExactly(1L, 3L);
        assertThat(result.err()).startsWith("TAMPERED at record 4: hash mismatch").hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--ring=5", "--ring=-1", "--ring=1,x", "--since=yesterday", "--until=2026-11-24",
        "--decision=maybe", "--decision=GENESIS", "--method=", "--method=a#b#c", "--format=xml"})
    void badOptionValueIsAUsageErrorOnOneLine(String option) {
        Cli.Result result = Cli.run("filter", dir.toString(), option);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains(option.substring(0, option.indexOf('=')))
                .contains("filter --help").doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void badRingSaysWhatARingIs() {
        assertThat(Cli.run("filter", dir.toString(), "--ring", "5").err())
                .contains("'5' is not a ring: rings are 0, 1, 2 and 3");
    }

    @Test
    void emptyTimeWindowIsAUsageError() {
        Cli.Result result = Cli.run("filter", dir.toString(), "--since", "2025-03-01T09:30:06Z", "--until",
                "2025-03-01T09:30:06Z");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("--until must be later than --since").hasLineCount(1);
    }

    @Test
    void missingDirectoryIsUnreadable() {
        Cli.Result result = Cli.run("filter", dir.resolve("nope").toString(), "--agent", "alice");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).endsWith(": no such directory\n").hasLineCount(1);
    }

    @Test
    void openCallsForgetTheOldestPastTheBound() {
        FilterCommand.OpenCalls open = new FilterCommand.OpenCalls(2);
        open.open(1);
        open.open(2);
        open.open(3);

        assertThat(open.size()).isEqualTo(2);
        assertThat(open.close(1)).as("forgotten").isFalse();
        assertThat(open.close(3)).isTrue();
        assertThat(open.close(2)).isTrue();
        assertThat(open.close(2)).as("closed once").isFalse();
        assertThat(open.size()).isZero();
    }

    private List<Long> seqs(String... options) {
        return seqs(dir, options);
    }

    /** @return the seqs {@code filter <trail> <options>} prints as JSON Lines, checking it succeeded */
    static List<Long> seqs(Path trail, String... options) {
        return seqsOf(filter(trail, options));
    }

    /**
     * Checks that {@code filter <trail> <options>} writes, as CSV and as text, the header and then exactly the lines
     * {@code export} ends with: for options that select the trail's last records.
     */
    static void assertWritesExportsLastLines(Path trail, String... options) {
        for (String format : List.of("csv", "text")) {
            String[] formatted = Arrays.copyOf(options, options.length + 2);
            formatted[options.length] = "--format";
            formatted[options.length + 1] = format;
            String filtered = filter(trail, formatted).out();
            String exported = Cli.run("export", trail.toString(), "--format", format).out();
            String header = format.equals("csv") ? CsvFormat.HEADER : new TextFormat().header();
            assertThat(filtered).startsWith(header).hasSizeGreaterThan(header.length());
            assertThat(exported).endsWith(filtered.substring(header.length()));
        }
    }

    /**
     * Checks that {@code filter <trail> <options> --format csv} writes the header and then exactly {@code export}'s
     * CSV row of record {@code seq}: for options that select that one record.
     */
    static void assertWritesExportsCsvRowOf(Path trail, long seq, String... options) {
        String[] csv = Arrays.copyOf(options, options.length + 2);
        csv[options.length] = "--format";
        csv[options.length + 1] = "csv";
        String exported = Cli.run("export", trail.toString(), "--format", "csv").out();
        // Row 0 is the header; no field of these trails holds a CRLF.
        assertThat(filter(trail, csv).out()).isEqualTo(CsvFormat.HEADER + exported.split("\r\n")[(int) seq + 1]
                + "\r\n");
    }

    /** @return what {@code filter <trail> <options>} wrote, checking it succeeded */
    private static Cli.Result filter(Path trail, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "filter";
        args[1] = trail.toString();
        System.arraycopy(options, 0, args, 2, options.length);
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).as(Arrays.toString(options) + ": " + result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        return result;
    }

    private static List<Long> seqsOf(Cli.Result result) {
        return result.outLines().stream().map(line -> (Long) MiniJson.parseObject(line).get("seq"))
                .collect(Collectors.toList());
    }
}
