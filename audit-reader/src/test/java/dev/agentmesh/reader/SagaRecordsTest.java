package dev.agentmesh.reader;

import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.Utf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SAGA records through every reader command that shows records: export and tail in each format, filter (with
 * {@code --saga}), report, verify-proof's sentence. The trail is {@link SagaTrail}'s.
 */
class SagaRecordsTest {

    @TempDir
    Path tmp;

    private Path dir;
    private TrailFixture trail;

    @BeforeEach
    void writeTrail() {
        dir = tmp.resolve("trail");
        trail = SagaTrail.write(dir);
    }

    @Test
    void jsonlHasTheSagaMembersInOrderAndLeavesOutWhatTheRecordDoesNotName() {
        List<String> lines = Cli.run("export", dir.toString()).outLines();

        assertThat(lines).hasSize(45);
        assertThat(lines.get(14)).isEqualTo("{\"seq\":14,\"time\":\"2025-03-01T09:30:14.000Z\",\"timeMillis\":"
                + TrailFixture.timeOf(14) + ",\"type\":\"SAGA\",\"hash\":\"" + Hex.of(trail.hash(14))
                + "\",\"agentId\":\"booker\",\"sessionId\":\"\",\"sagaId\":\"" + SagaTrail.B + "\",\"event\":"
                + "\"STEP_FAILED\",\"step\":\"book-hotel\",\"attempt\":1,\"detail\":\"java.io.IOException: no rooms\","
                + "\"durationNanos\":3100000,\"data\":\"retry\"}");
        // A saga-level event names no step, attempt or duration; a saga that runs as no agent has no agentId.
        assertThat(MiniJson.parseObject(lines.get(1))).containsOnlyKeys("seq", "time", "timeMillis", "type", "hash",
                "agentId", "sessionId", "sagaId", "event", "detail", "data")
                .containsEntry("event", "SAGA_STARTED").containsEntry("data", "trip\nbook-flight,book-hotel").containsEntry("sessionId", "s-1");
        assertThat(MiniJson.parseObject(lines.get(36)).keySet()).containsExactly("seq", "time", "timeMillis",
                "type", "hash", "sessionId", "sagaId", "event", "detail", "data");
        // A started step has no duration yet; its data, three lines, is escaped on one.
        Map<String, Object> started = MiniJson.parseObject(lines.get(6));
        assertThat(started.keySet()).containsExactly("seq", "time", "timeMillis", "type", "hash", "agentId",
                "sessionId", "sagaId", "event", "step", "attempt", "detail", "data");
        assertThat(started).containsEntry("data", "com.acme.Hotels#cancel\n" + SagaTrail.A + ":book-hotel\npivot")
                .containsEntry("attempt", 1L);
    }

    @Test
    void csvFillsTheSagaColumnsAtTheEnd() {
        String[] rows = Cli.run("export", dir.toString(), "--format", "csv").out().split("\r\n", -1);

        assertThat(rows[0]).endsWith(",hash,event,detail,sagaId,step,attempt,data,subject,actor,reason,onBehalfOf,"
                + "vouchedBy,framework,tool,invocationId");
        // The CONTROL and delegation columns after the saga columns are empty.
        assertThat(rows[2]).isEqualTo("1,2025-03-01T09:30:01.000Z,SAGA,planner,,s-1,,,,,,,,,," + Hex.of(trail.hash(1))
                + ",SAGA_STARTED,\"trip as planner, 2 steps, 3 attempts a step\"," + SagaTrail.A
                + ",,,\"trip\nbook-flight,book-hotel\",,,,,,,,");
        assertThat(rows[15]).isEqualTo("14,2025-03-01T09:30:14.000Z,SAGA,booker,,,,,,,,,3100000,,,"
                + Hex.of(trail.hash(14)) + ",STEP_FAILED,java.io.IOException: no rooms," + SagaTrail.B
                + ",book-hotel,1,retry,,,,,,,,");
        assertThat(rows[7]).isEqualTo("6,2025-03-01T09:30:06.000Z,SAGA,planner,,s-1,,,,,,,,,," + Hex.of(trail.hash(6))
                + ",STEP_STARTED,," + SagaTrail.A + ",book-hotel,1,\"com.acme.Hotels#cancel\n" + SagaTrail.A
                + ":book-hotel\npivot\",,,,,,,,");
        assertThat(rows[37]).isEqualTo("36,2025-03-01T09:30:36.000Z,SAGA,,,,,,,,,,,,," + Hex.of(trail.hash(36))
                + ",SAGA_STARTED,order," + SagaTrail.E + ",,,order,,,,,,,,");
    }

    @Test
    void textSaysWhatHappenedInTheSaga() {
        List<String> lines = Cli.run("export", dir.toString(), "--format", "text").outLines();

        assertThat(lines).hasSize(46);
        assertThat(lines.get(2)).contains("SAGA", Hex.of(trail.hash(1)).substring(0, 10)).endsWith("saga "
                + SagaTrail.A + ": planner SAGA_STARTED (trip as planner, 2 steps, 3 attempts a step) [session s-1]");
        assertThat(lines.get(15)).endsWith("saga " + SagaTrail.B + ": booker STEP_FAILED book-hotel attempt 1 after "
                + "3.100 ms, retry (java.io.IOException: no rooms)");
        assertThat(lines.get(21)).endsWith("saga " + SagaTrail.B + ": booker COMPENSATION_COMPLETED book-hotel "
                + "attempt 1 after 1.000 ms");
        assertThat(lines.get(45)).endsWith("saga " + SagaTrail.E + " SAGA_COMPENSATION_FAILED (an operator is "
                + "needed)");
    }

    @Test
    void tailPrintsSagaRecordsInExportsLines() {
        String exportedCsv = Cli.run("export", dir.toString(), "--format", "csv").out();
        String csv = Cli.run("tail", dir.toString(), "--from-seq", "14", "--max-records", "1", "--format", "csv")
                .out();
        assertThat(csv).startsWith(CsvFormat.HEADER).contains("\r\n14,").endsWith(",book-hotel,1,retry,,,,,,,,\r\n");
        assertThat(exportedCsv).contains(csv.substring(CsvFormat.HEADER.length()));

        List<String> jsonl = Cli.run("tail", dir.toString(), "--from-seq", "43").outLines();
        assertThat(jsonl).isEqualTo(Cli.run("export", dir.toString()).outLines().subList(43, 45));

        List<String> text = Cli.run("tail", dir.toString(), "--from-seq", "34", "--max-records", "1", "--format",
                "text").outLines();
        assertThat(text).hasSize(2);
        assertThat(text.get(1)).endsWith("saga " + SagaTrail.D + ": clerk SAGA_RECOVERING (recovered by writer-2) "
                + "[session s-2]");
    }

    @Test
    void filterSelectsOneSagaById() {
        assertThat(seqs("--saga", SagaTrail.B)).containsExactly(9L, 10L, 12L, 13L, 14L, 16L, 17L, 18L, 19L, 20L,
                21L, 22L, 23L, 24L, 25L);
        assertThat(seqs("--saga", SagaTrail.A, "--saga", SagaTrail.C)).containsExactly(1L, 2L, 5L, 6L, 7L, 8L, 11L,
                15L);
        assertThat(seqs("--saga", "trip-000000000000")).isEmpty();
        // Calls in the saga's session are not the saga's: with --saga, neither they nor their outcomes show.
        assertThat(seqs("--saga", SagaTrail.A, "--session", "s-1")).containsExactly(1L, 2L, 5L, 6L, 7L, 8L);
        assertThat(seqs("--saga", SagaTrail.D, "--since", "2025-03-01T09:30:33Z")).containsExactly(34L, 35L);
        assertThat(seqs("--saga", SagaTrail.B, "--decision", "allow,deny,returned")).isEmpty();
    }

    @Test
    void filterMatchesSagaRecordsOnTheFieldsTheyHave() {
        List<Long> sagas = LongStream.rangeClosed(1, 44).filter(s -> s != 3 && s != 4 && s != 33).boxed().toList();
        assertThat(seqs("--decision", "SAGA")).isEqualTo(sagas);
        assertThat(seqs("--decision", "saga,allow")).containsSequence(1L, 2L, 3L, 4L, 5L).hasSize(sagas.size() + 2);
        // The agent a saga runs as; its session; '' for sagas outside any session.
        assertThat(seqs("--agent", "planner")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 11L, 15L);
        assertThat(seqs("--session", "s-2")).containsExactly(26L, 27L, 28L, 29L, 30L, 31L, 32L, 34L, 35L);
        assertThat(seqs("--session", "", "--decision", "saga")).containsExactly(9L, 10L, 12L, 13L, 14L, 16L, 17L,
                18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L, 36L, 37L, 38L, 39L, 40L, 41L, 42L, 43L, 44L);
        // No ring, no method.
        assertThat(seqs("--ring", "2")).containsExactly(3L, 4L);
        assertThat(seqs("--method", "*")).containsExactly(3L, 4L);
        assertThat(RecordFilter.decision("saga")).isEqualTo(RecordType.SAGA_EVENT);
    }

    @Test
    void filterCsvAndTextHaveTheExportLines() {
        FilterCommandTest.assertWritesExportsLastLines(dir, "--saga", SagaTrail.E);
    }

    @Test
    void reportCountsSagasByEndStateAndTheirEvents() throws Exception {
        Path html = tmp.resolve("report.html");
        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        List<String> rows = rows(result.out());
        assertThat(section(rows, "Totals")).contains("records 45", "writer runs 2", "calls allowed 1", "returned 1",
                "still open 0");
        assertThat(section(rows, "Sagas")).containsExactly("sagas started 5", "completed 1", "compensated 1",
                "failed 0", "compensation failed 1", "unfinished 2", "saga events 41");
        assertThat(section(rows, "Saga events")).containsExactly("SAGA_STARTED 5", "STEP_STARTED 10",
                "STEP_COMPLETED 5", "STEP_FAILED 4", "SAGA_COMPENSATING 3", "COMPENSATION_STARTED 6",
                "COMPENSATION_COMPLETED 2", "COMPENSATION_FAILED 2", "SAGA_COMPLETED 1", "SAGA_COMPENSATED 1",
                "SAGA_FAILED 0", "SAGA_COMPENSATION_FAILED 1", "SAGA_RECOVERING 1");
        // SAGA records are not calls: only the one ALLOW counts for its agent.
        assertThat(section(rows, "Agents, by calls (1 in all)")).contains("planner 1 1 0 0");

        String page = Files.readString(html, StandardCharsets.UTF_8);
        ReportCommandTest.assertSelfContained(page);
        String sagas = ReportCommandTest.between(page, "id=\"sagas\"", "</section>");
        assertThat(sagas).contains("<tr><th scope=\"row\">Sagas started</th><td>5</td></tr>",
                "<tr><th scope=\"row\">Unfinished</th><td>2</td></tr>",
                "<tr><th scope=\"row\">Compensation failed</th><td>1</td></tr>",
                "<tr><th scope=\"row\">COMPENSATION_FAILED</th><td>2</td></tr>",
                "<tr><th scope=\"row\">SAGA_FAILED</th><td>0</td></tr>");
    }

    @Test
    void verifyProofDescribesASagaRecord() {
        byte[] failed = new RecordEncoder().sagaEvent(14, TrailFixture.timeOf(14), Utf8.encode("s-1"),
                Utf8.encode(SagaTrail.B), SagaEvent.COMPENSATION_FAILED, Utf8.encode("booker"),
                Utf8.encode("book-flight"), 1, 2_000_000L, Utf8.encode("java.io.IOException: down"),
                Utf8.encode("retry")).toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(failed, 0, failed.length))).isEqualTo("SAGA at "
                + "2025-03-01T09:30:14.000Z: saga " + SagaTrail.B + ": booker COMPENSATION_FAILED book-flight "
                + "attempt 1 after 2.000 ms, retry (java.io.IOException: down), session s-1");
    }

    private List<Long> seqs(String... options) {
        return FilterCommandTest.seqs(dir, options);
    }
}
