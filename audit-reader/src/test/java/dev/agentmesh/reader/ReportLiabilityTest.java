package dev.agentmesh.reader;

import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.Utf8;
import dev.agentmesh.reader.ReportLiability.AgentLiability;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liability section's accounting, fed decoded records directly: how denials are told apart, how a SLASHED
 * record's detail is read (leniently: a detail it cannot read is counted, never fatal), and the bounds that keep it
 * in constant memory.
 */
class ReportLiabilityTest {

    private final RecordEncoder encoder = new RecordEncoder();
    private long seq;

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- the SLASHED detail

    @Test
    void theDetailTheAgentWritesIsRead() {
        assertThat(SlashDetail.parse("points=25 before=900 after=875 level=1 chain=helper<lead"))
                .isEqualTo(new SlashDetail(25, 1, "helper<lead"));
        assertThat(SlashDetail.parse("points=0 before=0 after=0 level=0 chain=helper"))
                .isEqualTo(new SlashDetail(0, 0, "helper"));
    }

    @Test
    void unknownKeysOtherOrdersAndExtraSpacesAreLetBe() {
        assertThat(SlashDetail.parse("chain=a<b  level=2 bond=7 points=13 note"))
                .isEqualTo(new SlashDetail(13, 2, "a<b"));
        assertThat(SlashDetail.parse("points=1 points=2 level=0")).as("the last wins")
                .isEqualTo(new SlashDetail(2, 0, ""));
    }

    @Test
    void whatTheDetailDoesNotSayClearlyIsUnknown() {
        assertThat(SlashDetail.parse("")).isEqualTo(new SlashDetail(-1, -1, ""));
        assertThat(SlashDetail.parse("lost fifty points")).isEqualTo(new SlashDetail(-1, -1, ""));
        for (String points : List.of("points=", "points=-5", "points=+5", "points=5.0", "points=fifty",
                "points=99999999999999999999", "points=\u0665")) {
            SlashDetail d = SlashDetail.parse(points + " level=1 chain=x");
            assertThat(d.points()).as(points).isEqualTo(-1);
            assertThat(d.pointsKnown()).isFalse();
            assertThat(d.level()).isEqualTo(1);
        }
        assertThat(SlashDetail.parse("points=3 level=99999999999").level()).isEqualTo(-1);
        assertThat(SlashDetail.parse("points=3 level=-1").level()).isEqualTo(-1);
    }

    // ---------------------------------------------------------------- faults

    @Test
    void aDenialIsARingViolationOnlyWhenTheAgentsRingIsLessPrivilegedThanRequired() {
        ReportStats stats = new ReportStats();
        stats.accept(decision(RecordType.CALL_DENIED, "a", 3, 1));
        stats.accept(decision(RecordType.CALL_DENIED, "a", 2, 2)); // killed, quarantined, rate-limited, …
        stats.accept(decision(RecordType.CALL_DENIED, "a", 0, 3));
        stats.accept(decision(RecordType.CALL_ALLOWED, "b", 3, 1)); // an ALLOW is no fault, whatever the rings say
        ReportLiability l = stats.liability;

        assertThat(l.ringViolations).isEqualTo(1);
        assertThat(l.otherDenials).isEqualTo(2);
        assertThat(l.agentsByLiability()).extracting(a -> a.id).containsExactly("a");
        assertThat(l.agentsByLiability().get(0).cells()).containsExactly("a", "1", "2", "0", "0", "0", "0", "-");
    }

    @Test
    void eventsThatAreNoFaultLeaveTheSectionEmpty() {
        ReportStats stats = new ReportStats();
        stats.accept(decision(RecordType.CALL_ALLOWED, "a", 1, 1));
        for (ControlEvent e : ControlEvent.values()) {
            if (e != ControlEvent.BREACH && e != ControlEvent.SLASHED) {
                stats.accept(control(e, "agent:a", "lead", "points=5 level=0 chain=a"));
            }
        }
        assertThat(stats.liability.isEmpty()).isTrue();
        assertThat(ReportText.render(new ReportScope.Directory("t", new Trail.Summary(seq, new byte[32], 0),
                stats.clock), stats, 20)).doesNotContain(
                "Liability");

        stats.accept(control(ControlEvent.BREACH, "agent:a", "agentmesh", "score=10"));
        assertThat(stats.liability.isEmpty()).isFalse();
        assertThat(stats.liability.breaches).isEqualTo(1);
    }

    // ---------------------------------------------------------------- slashes

    @Test
    void aSlashWithoutReadablePointsIsCountedButNotInThePoints() {
        ReportStats stats = new ReportStats();
        stats.accept(control(ControlEvent.SLASHED, "agent:lead", "helper", "points=10 level=1 chain=helper<lead"));
        stats.accept(control(ControlEvent.SLASHED, "agent:lead", "helper", "garbled"));
        ReportLiability l = stats.liability;

        assertThat(l.slashes).isEqualTo(2);
        assertThat(l.slashesOfUnknownPoints).isEqualTo(1);
        assertThat(l.pointsLost).isEqualTo(10);
        AgentLiability lead = l.agentsByLiability().get(0);
        assertThat(lead.cells()).containsExactly("lead", "0", "0", "0", "2", "0", "10", "helper 10");
        assertThat(l.slashes()).extracting(s -> String.join(" ", s.cells())).containsExactly(
                "0 2025-03-01T09:30:00.000Z lead 10 1 helper helper<lead why",
                "1 2025-03-01T09:30:01.000Z lead ? ? helper - why");
        assertThat(l.unknownPointsNote()).startsWith("1 slash does not say how many points were lost");
    }

    @Test
    void withoutALevelTheActorSaysWhetherTheLossWasTheOffendersOwn() {
        ReportStats stats = new ReportStats();
        stats.accept(control(ControlEvent.SLASHED, "agent:helper", "helper", "points=7"));
        stats.accept(control(ControlEvent.SLASHED, "agent:lead", "helper", "points=3"));
        assertThat(stats.liability.agentsByLiability()).extracting(a -> String.join(" ", a.cells()))
                .containsExactly("helper 0 0 0 1 7 0 -", "lead 0 0 0 1 0 3 helper 3");
    }

    @Test
    void aReportWithAnUnreadableSlashSaysSo() {
        Path dir = tmp.resolve("trail");
        try (TrailFixture t = TrailFixture.create(dir)) {
            t.control(ControlEvent.SLASHED, "agent:helper", "helper", "ring violation", "lost=50");
        }
        List<String> rows = rows(Cli.run("report", dir.toString()).out());

        assertThat(section(rows, "Liability")).contains("slashes 1", "points lost 0");
        assertThat(section(rows, "Slashes, in trail order (1 slashes)")).contains(
                "1 2025-03-01T09:30:01.000Z helper ? ? helper - ring violation");
        assertThat(rows).anyMatch(r -> r.startsWith("Note: 1 slash does not say how many points were lost"));
    }

    @Test
    void borneForNamesTheOffendersWithTheMostPointsFirst() {
        ReportStats stats = new ReportStats();
        String[] offenders = {"e", "d", "c", "b", "a"};
        for (int i = 0; i < offenders.length; i++) {
            stats.accept(control(ControlEvent.SLASHED, "agent:v", offenders[i], "points=" + (i + 1) * 10
                    + " level=1"));
        }
        stats.accept(control(ControlEvent.SLASHED, "agent:v", "e", "points=45 level=2"));
        assertThat(stats.liability.agentsByLiability().get(0).borneFor()).isEqualTo("e 55, a 50, b 40, +2 more");
    }

    // ---------------------------------------------------------------- bounds

    @Test
    void agentsPastTheCapFoldIntoOneRow() {
        ReportStats stats = new ReportStats();
        for (int i = 0; i < ReportStats.MAX_KEYS + 3; i++) {
            stats.accept(decision(RecordType.CALL_DENIED, "agent-" + i, 3, 1));
        }
        stats.accept(control(ControlEvent.SLASHED, "agent:late", "late", "points=9 level=0"));
        stats.accept(control(ControlEvent.BREACH, "agent:agent-0", "agentmesh", ""));
        ReportLiability l = stats.liability;

        assertThat(l.agentsByLiability()).hasSize(ReportStats.MAX_KEYS);
        AgentLiability other = l.otherAgents();
        assertThat(other.id).isEqualTo(ReportLiability.OTHER_AGENTS);
        assertThat(other.cells()).containsExactly(ReportLiability.OTHER_AGENTS, "3", "0", "0", "1", "9", "0", "-");
        assertThat(l.ringViolations).isEqualTo(ReportStats.MAX_KEYS + 3);
        // A known agent keeps counting on its own row.
        assertThat(l.agentsByLiability()).filteredOn(a -> a.id.equals("agent-0")).singleElement()
                .satisfies(a -> assertThat(a.breaches).isEqualTo(1));
    }

    @Test
    void offendersBorneForPastTheCapFoldIntoOneEntry() {
        ReportStats stats = new ReportStats();
        for (int i = 0; i < ReportLiability.MAX_BORNE_FOR + 2; i++) {
            stats.accept(control(ControlEvent.SLASHED, "agent:v", "o-" + i, "points=1 level=1"));
        }
        stats.accept(control(ControlEvent.SLASHED, "agent:v", "o-0", "points=1 level=1"));
        AgentLiability v = stats.liability.agentsByLiability().get(0);
        assertThat(v.pointsForOthers).isEqualTo(ReportLiability.MAX_BORNE_FOR + 3);
        // o-0 keeps its own entry; the two past the cap share one, which then has the most points
        assertThat(v.borneFor()).isEqualTo(ReportLiability.OTHER_AGENTS + " 2, o-0 2, o-1 1, +"
                + (ReportLiability.MAX_BORNE_FOR - 2) + " more");
    }

    @Test
    void onlyTheFirstSlashesAreListed() {
        ReportStats stats = new ReportStats();
        for (int i = 0; i < ReportLiability.MAX_SLASHES_LISTED + 5; i++) {
            stats.accept(control(ControlEvent.SLASHED, "agent:a", "a", "points=1 level=0"));
        }
        ReportLiability l = stats.liability;
        assertThat(l.slashes()).hasSize(ReportLiability.MAX_SLASHES_LISTED);
        assertThat(l.slashes().get(0).seq()).isZero();
        assertThat(l.slashes).isEqualTo(ReportLiability.MAX_SLASHES_LISTED + 5);
        assertThat(l.pointsLost).isEqualTo(ReportLiability.MAX_SLASHES_LISTED + 5);
        assertThat(ReportText.listed(l.slashes().size(), l.slashes, "slashes")).isEqualTo("the first "
                + ReportLiability.MAX_SLASHES_LISTED + " of " + (ReportLiability.MAX_SLASHES_LISTED + 5)
                + " slashes; 'filter --decision CONTROL' lists them all");
    }

    @Test
    void aSubjectThatNamesNoAgentIsShownAsItIs() {
        assertThat(ReportLiability.agentOf("agent:helper")).isEqualTo("helper");
        assertThat(ReportLiability.agentOf("all")).isEqualTo("all");
        assertThat(ReportLiability.agentOf("session:s-1")).isEqualTo("session:s-1");
    }

    private AuditRecord decision(RecordType type, String agent, int ring, int required) {
        encoder.decision(type, seq, TrailFixture.timeOf(seq), ring, required, Utf8.encode(agent), new byte[0],
                Utf8.encode("com.acme.T"), Utf8.encode("m"), Utf8.encode("()V"), new byte[32]);
        return next();
    }

    private AuditRecord control(ControlEvent event, String subject, String actor, String detail) {
        encoder.control(seq, TrailFixture.timeOf(seq), event, Utf8.encode(subject), Utf8.encode(actor),
                Utf8.encode("why"), Utf8.encode(detail));
        return next();
    }

    private AuditRecord next() {
        seq++;
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }
}
