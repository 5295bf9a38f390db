package dev.agentmesh.reader;

import static dev.agentmesh.reader.FilterCommandTest.seqs;
import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.Utf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joint liability on the trail: decisions that carry their delegation ({@code onBehalfOf}, {@code vouchedBy}) and
 * the CONTROL records of vouching, slashing, trust rings and breaches, through every reader command that shows
 * records (export and tail in each format, filter, verify-proof's sentence) and report's liability section.
 */
class LiabilityRecordsTest {

    private static final String CAUSE = "ring violation: com.acme.Bank#transfer needs ring 1";

    @TempDir
    Path tmp;

    private Path dir;
    private TrailFixture trail;

    @BeforeEach
    void writeTrail() {
        // seq  record                                                                time 2025-03-01T09:30:<seq>Z
        //   0  GENESIS
        //   1  CONTROL VOUCHED          agent:helper  lead       share=0.2 bond=80 via=policy
        //   2  CONTROL VOUCHED          agent:lead    root       share=0.5 bond=500 via=api
        //   3  ALLOW   helper r2 req2  s-1  Tools#search   on behalf of lead>orchestrator, vouched by lead
        //   4  RETURNED call 3  s-1
        //   5  DENY    helper r2 req1  s-1  Bank#transfer  on behalf of lead>orchestrator, vouched by lead
        //   6  CONTROL SLASHED          agent:helper  helper     50, level 0          (the cascade of that
        //   7  CONTROL SLASHED          agent:lead    helper     25, level 1           ring violation: helper is
        //   8  CONTROL SLASHED          agent:root    helper     13, level 2           the offender throughout)
        //   9  CONTROL RING_CHANGED     agent:helper  agentmesh  from=2 to=3
        //  10  DENY    scout r2 req2        Files#delete   on behalf of helper>lead   (a denial, no ring violation)
        //  11  CONTROL BREACH           agent:scout   agentmesh
        //  12  CONTROL VOUCH_WITHDRAWN  agent:helper  lead       share=0.2
        //  13  ALLOW   orchestrator r1 req1   Tools#plan   acting for itself
        dir = tmp.resolve("trail");
        trail = TrailFixture.create(dir)
                .control(ControlEvent.VOUCHED, "agent:helper", "lead", "pairs with me",
                        "share=0.2 bond=80 via=policy")
                .control(ControlEvent.VOUCHED, "agent:lead", "root", "backs the lead", "share=0.5 bond=500 via=api")
                .decision(RecordType.CALL_ALLOWED, "helper", 2, 2, "s-1", "com.acme.Tools", "search", "()V",
                        "lead>orchestrator", "lead")
                .outcome(RecordType.CALL_RETURNED, 3, 1_000L, "", "s-1")
                .decision(RecordType.CALL_DENIED, "helper", 2, 1, "s-1", "com.acme.Bank", "transfer", "(JJ)V",
                        "lead>orchestrator", "lead")
                .control(ControlEvent.SLASHED, "agent:helper", "helper", CAUSE,
                        "points=50 before=400 after=350 level=0 chain=helper")
                .control(ControlEvent.SLASHED, "agent:lead", "helper", "vouched for helper: " + CAUSE,
                        "points=25 before=900 after=875 level=1 chain=helper<lead")
                .control(ControlEvent.SLASHED, "agent:root", "helper", "vouched for lead: " + CAUSE,
                        "points=13 before=1000 after=987 level=2 chain=helper<lead<root")
                .control(ControlEvent.RING_CHANGED, "agent:helper", "agentmesh", "effective trust is now 390",
                        "from=2 to=3 trust=390")
                .decision(RecordType.CALL_DENIED, "scout", 2, 2, "", "com.acme.Files", "delete", "()V", "helper>lead",
                        "")
                .control(ControlEvent.BREACH, "agent:scout", "agentmesh", "breach: score 10 reached 10 within 60 s",
                        "score=10 threshold=10 windowSeconds=60 action=DEMOTE evidence=10 x denial: Files#delete")
                .control(ControlEvent.VOUCH_WITHDRAWN, "agent:helper", "lead", "no longer", "share=0.2")
                .decision(RecordType.CALL_ALLOWED, "orchestrator", 1, 1, "", "com.acme.Tools", "plan", "()V");
        trail.close();
    }

    @Test
    void jsonlCarriesTheDelegationOfEveryDecisionAndTheNewEvents() {
        List<String> lines = Cli.run("export", dir.toString()).outLines();

        assertThat(lines).hasSize(14);
        Map<String, Object> deny = MiniJson.parseObject(lines.get(5));
        assertThat(deny.keySet()).endsWith("decision", "argsDigest", "onBehalfOf", "vouchedBy", "framework", "tool",
                "invocationId");
        assertThat(deny).containsEntry("onBehalfOf", "lead>orchestrator").containsEntry("vouchedBy", "lead");
        assertThat(MiniJson.parseObject(lines.get(13))).containsEntry("onBehalfOf", "").containsEntry("vouchedBy", "");
        assertThat(lines.get(7)).isEqualTo("{\"seq\":7,\"time\":\"2025-03-01T09:30:07.000Z\",\"timeMillis\":"
                + TrailFixture.timeOf(7) + ",\"type\":\"CONTROL\",\"hash\":\"" + Hex.of(trail.hash(7))
                + "\",\"event\":\"SLASHED\",\"subject\":\"agent:lead\",\"actor\":\"helper\",\"reason\":"
                + "\"vouched for helper: " + CAUSE + "\",\"detail\":\"points=25 before=900 after=875 level=1 "
                + "chain=helper<lead\"}");
        // A CONTROL record has no delegation of its own.
        assertThat(MiniJson.parseObject(lines.get(1))).doesNotContainKeys("onBehalfOf", "vouchedBy")
                .containsEntry("event", "VOUCHED");
        assertThat(lines).extracting(l -> MiniJson.parseObject(l).get("event")).containsExactly(null, "VOUCHED",
                "VOUCHED", null, null, null, "SLASHED", "SLASHED", "SLASHED", "RING_CHANGED", null, "BREACH",
                "VOUCH_WITHDRAWN", null);
    }

    @Test
    void csvFillsTheDelegationColumnsAtTheEnd() {
        String[] rows = Cli.run("export", dir.toString(), "--format", "csv").out().split("\r\n", -1);

        assertThat(rows[0]).endsWith(",subject,actor,reason,onBehalfOf,vouchedBy,framework,tool,invocationId");
        assertThat(rows[6]).startsWith("5,2025-03-01T09:30:05.000Z,DENY,helper,2,s-1,com.acme.Bank,transfer,(JJ)V,1,")
                .endsWith("," + Hex.of(trail.hash(5)) + ",,,,,,,,,,lead>orchestrator,lead,,,");
        assertThat(rows[11]).endsWith(",helper>lead,,,,");
        assertThat(rows[14]).endsWith(",,,,,");
        assertThat(rows[8]).isEqualTo("7,2025-03-01T09:30:07.000Z,CONTROL,,,,,,,,,,,,," + Hex.of(trail.hash(7))
                + ",SLASHED,points=25 before=900 after=875 level=1 chain=helper<lead,,,,,agent:lead,helper,"
                + "vouched for helper: " + CAUSE + ",,,,,");
        for (int i = 0; i < 15; i++) {
            assertThat(rows[i].split(",", -1)).as(rows[i]).hasSize(30);
        }
    }

    @Test
    void textSaysOnWhoseBehalfAndWhoPaid() {
        List<String> lines = Cli.run("export", dir.toString(), "--format", "text").outLines();

        assertThat(lines.get(6)).endsWith("helper (ring 2) may NOT call Bank#transfer, which needs ring 1, on behalf "
                + "of lead>orchestrator, vouched by lead [session s-1]");
        assertThat(lines.get(11)).endsWith("scout (ring 2) may NOT call Files#delete, which needs ring 2, on behalf of "
                + "helper>lead");
        assertThat(lines.get(14)).endsWith("orchestrator (ring 1) may call Tools#plan, which needs ring 1");
        assertThat(lines.get(2)).endsWith("agent:helper VOUCHED by lead: pairs with me (share=0.2 bond=80 "
                + "via=policy)");
        // A slash names the offender it was for, not a doer: the voucher lost points over helper's fault.
        assertThat(lines.get(8)).endsWith("agent:lead SLASHED for helper: vouched for helper: " + CAUSE
                + " (points=25 before=900 after=875 level=1 chain=helper<lead)");
        assertThat(lines.get(10)).endsWith("agent:helper RING_CHANGED by agentmesh: effective trust is now 390 "
                + "(from=2 to=3 trust=390)");
        assertThat(lines.get(12)).contains("agent:scout BREACH by agentmesh: breach: score 10");
        assertThat(lines.get(13)).endsWith("agent:helper VOUCH_WITHDRAWN by lead: no longer (share=0.2)");
    }

    @Test
    void tailPrintsThemInExportsLines() {
        List<String> text = Cli.run("tail", dir.toString(), "--from-seq", "6", "--max-records", "3", "--format",
                "text").outLines();
        assertThat(text).hasSize(4);
        assertThat(text.subList(1, 4)).allMatch(l -> l.contains(" SLASHED for helper: "));
        assertThat(Cli.run("tail", dir.toString(), "--from-seq", "5").outLines())
                .isEqualTo(Cli.run("export", dir.toString()).outLines().subList(5, 14));
        String csv = Cli.run("tail", dir.toString(), "--from-seq", "10", "--max-records", "1", "--format", "csv")
                .out();
        assertThat(csv).startsWith(CsvFormat.HEADER).endsWith(",helper>lead,,,,\r\n");
    }

    @Test
    void filterOnBehalfOfMatchesAnyLinkOfTheChain() {
        // The immediate principal and any further up; outcomes follow their calls.
        assertThat(seqs(dir, "--on-behalf-of", "lead")).containsExactly(3L, 4L, 5L, 10L);
        assertThat(seqs(dir, "--on-behalf-of", "orchestrator")).containsExactly(3L, 4L, 5L);
        assertThat(seqs(dir, "--on-behalf-of", "helper")).containsExactly(10L);
        assertThat(seqs(dir, "--on-behalf-of", "helper", "--on-behalf-of", "orchestrator")).containsExactly(3L, 4L, 5L,
                10L);
        // Exactly a link, not part of one; an agent acting for itself acts on behalf of no one.
        assertThat(seqs(dir, "--on-behalf-of", "lea")).isEmpty();
        assertThat(seqs(dir, "--on-behalf-of", "lead>orchestrator")).isEmpty();
        assertThat(seqs(dir, "--on-behalf-of", "orchestrator", "--agent", "orchestrator")).isEmpty();
        // With the other criteria: all must match.
        assertThat(seqs(dir, "--on-behalf-of", "lead", "--decision", "deny")).containsExactly(5L, 10L);
        assertThat(seqs(dir, "--on-behalf-of", "lead", "--agent", "scout")).containsExactly(10L);
        assertThat(seqs(dir, "--on-behalf-of", "lead", "--session", "s-1")).containsExactly(3L, 4L, 5L);
        // CONTROL, GENESIS and SESSION records carry no delegation: they never match it.
        assertThat(seqs(dir, "--on-behalf-of", "lead", "--decision", "control")).isEmpty();
        // in export's lines
        FilterCommandTest.assertWritesExportsCsvRowOf(dir, 10, "--on-behalf-of", "helper");
    }

    @Test
    void filterMatchesTheNewEventsByTheirSubject() {
        assertThat(seqs(dir, "--decision", "CONTROL")).containsExactly(1L, 2L, 6L, 7L, 8L, 9L, 11L, 12L);
        // agent:helper's records: vouched for, slashed, its ring changed, its voucher withdrawn; its calls.
        assertThat(seqs(dir, "--agent", "helper")).containsExactly(1L, 3L, 4L, 5L, 6L, 9L, 12L);
        assertThat(seqs(dir, "--agent", "lead", "--decision", "control")).containsExactly(2L, 7L);
        assertThat(seqs(dir, "--agent", "scout")).containsExactly(10L, 11L);
    }

    @Test
    void reportCountsEveryEventAndAttributesTheCascade() throws Exception {
        Path html = tmp.resolve("report.html");
        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        List<String> rows = rows(result.out());
        assertThat(section(rows, "Kill switch")).containsExactly("KILLED 0", "REVIVED 0", "QUARANTINED 0",
                "RELEASED 0", "ELEVATED 0", "ELEVATION_USED 0", "ELEVATION_EXPIRED 0", "VOUCHED 2",
                "VOUCH_WITHDRAWN 1", "SLASHED 3", "RING_CHANGED 1", "BREACH 1", "COMMAND_REFUSED 0", "subjects 4", "control events 8");
        assertThat(section(rows, "Kill switch, by subject (8 events)")).startsWith(
                "SUBJECT EVENT TIME ACTOR REASON",
                "agent:helper VOUCHED 2025-03-01T09:30:01.000Z lead pairs with me",
                "agent:helper SLASHED 2025-03-01T09:30:06.000Z helper " + CAUSE);
        assertThat(section(rows, "Liability")).containsExactly("ring violations 1", "other denials 1", "breaches 1",
                "slashes 3", "points lost 88");
        // The cascade: helper, the offender, lost 50; lead, its voucher, 25 bearing helper's fault; root, lead's
        // voucher, 13 for the same fault. Most points lost first; scout lost none but has two faults.
        assertThat(section(rows, "Liability, by agent (4 in all)")).containsExactly(
                "AGENT RING VIOLATIONS OTHER DENIALS BREACHES SLASHES LOST AS OFFENDER LOST FOR OTHERS BORNE FOR",
                "helper 1 0 0 1 50 0 -",
                "lead 0 0 0 1 0 25 helper 25",
                "root 0 0 0 1 0 13 helper 13",
                "scout 0 1 1 0 0 0 -");
        assertThat(section(rows, "Slashes, in trail order (3 slashes)")).containsExactly(
                "SEQ TIME AGENT POINTS LEVEL OFFENDER CHAIN CAUSE",
                "6 2025-03-01T09:30:06.000Z helper 50 0 helper helper " + CAUSE,
                "7 2025-03-01T09:30:07.000Z lead 25 1 helper helper<lead vouched for helper: " + CAUSE,
                "8 2025-03-01T09:30:08.000Z root 13 2 helper helper<lead<root vouched for lead: " + CAUSE);
        assertThat(rows).doesNotContain("Note:");
        // Liability comes after the kill switch, before the agents.
        assertThat(rows.indexOf("Liability")).isGreaterThan(rows.indexOf("Kill switch"))
                .isLessThan(rows.indexOf("Agents, by calls (3 in all)"));

        String page = Files.readString(html, StandardCharsets.UTF_8);
        ReportCommandTest.assertSelfContained(page);
        String liability = ReportCommandTest.between(page, "id=\"liability\"", "</section>");
        assertThat(liability).contains("<tr><th scope=\"row\">Points lost</th><td>88</td></tr>",
                "<th scope=\"col\">Lost for others</th><th scope=\"col\">Borne for</th>",
                "<tr><td>lead</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>25</td><td>helper 25</td></tr>",
                "<caption>Slashes, in trail order; 3 slashes</caption>",
                "<tr><td>8</td><td>2025-03-01T09:30:08.000Z</td><td>root</td><td>13</td><td>2</td><td>helper</td>"
                        + "<td>helper&lt;lead&lt;root</td><td>vouched for lead: " + CAUSE + "</td></tr>");
        assertThat(liability.indexOf("<td>helper</td><td>1</td>")).isLessThan(liability.indexOf("<td>lead</td>"));
        assertThat(page.indexOf("id=\"liability\"")).isGreaterThan(page.indexOf("id=\"kill-switch\""));
    }

    @Test
    void topLimitsTheAgentsOfTheLiabilityTable() {
        List<String> rows = rows(Cli.run("report", dir.toString(), "--top", "2").out());
        assertThat(section(rows, "Liability, by agent (top 2 of 4)")).containsExactly(
                "AGENT RING VIOLATIONS OTHER DENIALS BREACHES SLASHES LOST AS OFFENDER LOST FOR OTHERS BORNE FOR",
                "helper 1 0 0 1 50 0 -",
                "lead 0 0 0 1 0 25 helper 25");
        // The slashes are a list of records, not a ranking: all of them, as the kill switch's.
        assertThat(section(rows, "Slashes, in trail order (3 slashes)")).hasSize(4);
    }

    @Test
    void verifyProofDescribesADelegatedCallAndASlash() {
        byte[] deny = new RecordEncoder().decision(RecordType.CALL_DENIED, 5, TrailFixture.timeOf(5), 2, 1,
                Utf8.encode("helper"), Utf8.encode("s-1"), Utf8.encode("com.acme.Bank"), Utf8.encode("transfer"),
                Utf8.encode("(JJ)V"), new byte[32], Utf8.encode("lead>orchestrator"), Utf8.encode("lead"))
                .toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(deny, 0, deny.length))).isEqualTo("DENY at "
                + "2025-03-01T09:30:05.000Z: agent helper (ring 2) was refused com.acme.Bank#transfer(JJ)V, which "
                + "needs ring 1, on behalf of lead>orchestrator, vouched by lead, session s-1");
        byte[] slash = new RecordEncoder().control(7, TrailFixture.timeOf(7), ControlEvent.SLASHED,
                Utf8.encode("agent:lead"), Utf8.encode("helper"), Utf8.encode("vouched for helper"),
                Utf8.encode("points=25 before=900 after=875 level=1 chain=helper<lead")).toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(slash, 0, slash.length))).isEqualTo("CONTROL at "
                + "2025-03-01T09:30:07.000Z: agent:lead SLASHED for helper: vouched for helper (points=25 before=900 "
                + "after=875 level=1 chain=helper<lead)");
    }

}
