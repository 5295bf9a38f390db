package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    static final String HOSTILE_AGENT = "<script>alert('x')</script>";
    static final String HOSTILE_ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";

    @TempDir
    Path tmp;

    private Path dir;
    private String head;

    /**
     * Record by record, with what the report must make of it:
     * <pre>
     *  0 GENESIS
     *  1 ALLOW alice  r2 req2 Tools#search      closed by 2, RETURNED after 2 ms
     *  3 ALLOW alice  r2 req2 Tools#search      closed by 4, THREW after 6 ms
     *  5 DENY  alice  r2 req1 Bank#transfer
     *  6 DENY  bob    r3 req1 Bank#transfer
     *  7 DENY  bob    r3 req0 Admin#shutdown
     *  8 ALLOW ops    r1 req1 Bank#transfer     closed by 10 after 10 ms
     *  9 ALLOW ops    r1 req2 Tools#search      closed by 11 after 1 ms
     * 12 ALLOW carol  r0 req3 Files#delete      still open
     * </pre>
     */
    @BeforeEach
    void writeTrail() {
        dir = tmp.resolve("trail");
        try (TrailFixture trail = TrailFixture.create(dir)) {
            trail.decision(RecordType.CALL_ALLOWED, "alice", 2, 2, "s", "com.acme.Tools", "search", "()V")
                    .outcome(RecordType.CALL_RETURNED, 1, 2_000_000L, "", "s")
                    .decision(RecordType.CALL_ALLOWED, "alice", 2, 2, "s", "com.acme.Tools", "search", "()V")
                    .outcome(RecordType.CALL_THREW, 3, 6_000_000L, "java.io.IOException", "s")
                    .decision(RecordType.CALL_DENIED, "alice", 2, 1, "s", "com.acme.Bank", "transfer", "(JJ)V")
                    .decision(RecordType.CALL_DENIED, "bob", 3, 1, "", "com.acme.Bank", "transfer", "(JJ)V")
                    .decision(RecordType.CALL_DENIED, "bob", 3, 0, "", "com.acme.Admin", "shutdown", "()V")
                    .decision(RecordType.CALL_ALLOWED, "ops", 1, 1, "", "com.acme.Bank", "transfer", "(JJ)V")
                    .decision(RecordType.CALL_ALLOWED, "ops", 1, 2, "", "com.acme.Tools", "search", "()V")
                    .outcome(RecordType.CALL_RETURNED, 8, 10_000_000L, "", "")
                    .outcome(RecordType.CALL_RETURNED, 9, 1_000_000L, "", "")
                    .decision(RecordType.CALL_ALLOWED, "carol", 0, 3, "", "com.acme.Files", "delete", "()V");
            head = Hex.of(trail.headHash());
        }
    }

    @Test
    void reportsExactCountsOfAKnownTrail() {
        Cli.Result result = Cli.run("report", dir.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        List<String> rows = rows(result.out());
        assertThat(rows).contains(
                "verified 13 records, hash chain intact, head " + head,
                "time span 2025-03-01T09:30:00.000Z .. 2025-03-01T09:30:12.000Z");
        assertThat(section(rows, "Totals")).containsExactly(
                "records 13", "writer runs 1", "calls allowed 5", "calls denied 3", "returned 3", "threw 1",
                "still open 1");
        assertThat(section(rows, "Decisions")).containsExactly("ALLOW 5", "DENY 3", "RETURNED 3", "THREW 1");
        // Every denial here is a call above the agent's ring; with no slash there is no list of slashes.
        assertThat(section(rows, "Liability")).containsExactly("ring violations 3", "other denials 0",
                "breaches 0", "slashes 0", "points lost 0");
        assertThat(section(rows, "Liability, by agent (2 in all)")).containsExactly(
                "AGENT RING VIOLATIONS OTHER DENIALS BREACHES SLASHES LOST AS OFFENDER LOST FOR OTHERS BORNE FOR",
                "bob 2 0 0 0 0 0 -",
                "alice 1 0 0 0 0 0 -");
        assertThat(rows).noneMatch(r -> r.startsWith("Slashes"));
        // Most calls first, ties by id.
        assertThat(section(rows, "Agents, by calls (4 in all)")).containsExactly(
                "AGENT CALLS ALLOWED DENIED THREW",
                "alice 3 2 1 1",
                "bob 2 0 2 0",
                "ops 2 2 0 0",
                "carol 1 1 0 0");
        // Durations matched through callSeq: search ran 2, 6 and 1 ms; transfer ran once, 10 ms.
        assertThat(section(rows,
                "Tools, by calls (4 in all; durations in ms, of calls whose outcome is in the trail)"))
                .containsExactly(
                        "TOOL CALLS DENIED THREW MEAN MAX",
                        "com.acme.Bank#transfer 3 2 0 10.000 10.000",
                        "com.acme.Tools#search 3 0 1 3.000 6.000",
                        "com.acme.Admin#shutdown 1 1 0 - -",
                        "com.acme.Files#delete 1 0 0 - -");
        assertThat(section(rows, "Calls by agent ring")).containsExactly(
                "RING ALLOWED DENIED", "0 1 0", "1 2 0", "2 2 1", "3 0 2");
        assertThat(section(rows,
                "Denials by ring (rows: the agent's ring; columns: the ring the tool requires)")).containsExactly(
                "AGENT RING REQ 0 REQ 1 REQ 2 REQ 3",
                "0 0 0 0 0",
                "1 0 0 0 0",
                "2 0 1 0 0",
                "3 1 1 0 0");
    }

    @Test
    void topLimitsTheListsAndSaysSo() {
        Cli.Result result = Cli.run("report", dir.toString(), "--top", "1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        List<String> rows = rows(result.out());
        assertThat(section(rows, "Agents, by calls (top 1 of 4)"))
                .containsExactly("AGENT CALLS ALLOWED DENIED THREW", "alice 3 2 1 1");
        assertThat(section(rows,
                "Tools, by calls (top 1 of 4; durations in ms, of calls whose outcome is in the trail)"))
                .containsExactly("TOOL CALLS DENIED THREW MEAN MAX", "com.acme.Bank#transfer 3 2 0 10.000 10.000");
    }

    @Test
    void badTopIsAUsageError() {
        Cli.Result result = Cli.run("report", dir.toString(), "--top", "0");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("--top must be at least 1").hasLineCount(1);
    }

    @Test
    void tamperedTrailReportsNothingAndExits1() throws Exception {
        Path broken = tmp.resolve("broken");
        TrailFixture.standard(broken, 25).close();
        TrailFixture.flipByteOf(broken, TrailFixture.agentId(11));
        Path html = tmp.resolve("report.html");

        Cli.Result result = Cli.run("report", broken.toString(), "--html", html.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.out()).as("no partial report").isEmpty();
        assertThat(result.err()).startsWith("TAMPERED at record 11: hash mismatch").hasLineCount(1);
        assertThat(html).doesNotExist();
        assertThat(tmp.toFile().list()).containsExactlyInAnyOrder("trail", "broken");
    }

    @Test
    void missingDirectoryIsUnreadable() {
        Cli.Result result = Cli.run("report", tmp.resolve("nope").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).endsWith("no such directory" + System.lineSeparator());
    }

    @Test
    void htmlIsSelfContainedWithTheNumbers() throws Exception {
        Path html = tmp.resolve("out").resolve("report.html");

        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("AgentMesh audit report");
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertSelfContained(page);
        assertThat(page).doesNotContain("src=", "href=");
        assertThat(page)
                .contains("<dt>Records</dt><dd>13</dd>")
                .contains("<dt>Time span</dt><dd>2025-03-01T09:30:00.000Z to 2025-03-01T09:30:12.000Z</dd>")
                .contains("<dt>Head hash</dt><dd><code>" + head + "</code></dd>")
                .contains("<span class=\"ok\">Yes</span>: all 13 records checked")
                .contains("<dt>Not checked here</dt><dd>checkpoint signatures")
                .contains("<tr><th scope=\"row\">Calls allowed (ALLOW)</th><td>5</td></tr>")
                .contains("<tr><th scope=\"row\">Calls denied (DENY)</th><td>3</td></tr>")
                .contains("<tr><td>alice</td><td>3</td><td>2</td><td>1</td><td>1</td></tr>")
                .contains("<tr><td>bob</td><td>2</td><td>0</td><td>2</td><td>0</td></tr>");
        // Slowest tools: transfer (10 ms mean) before search (3 ms mean, 6 ms max).
        String slowest = between(page, "id=\"slowest-tools\"", "</section>");
        assertThat(slowest).containsSubsequence(
                "<code>com.acme.Bank#transfer</code></td><td>1</td><td>10.000</td><td>10.000</td>",
                "<code>com.acme.Tools#search</code></td><td>3</td><td>3.000</td><td>6.000</td>");
        assertThat(slowest).doesNotContain("Admin#shutdown", "Files#delete");
        // Denials by agent: bob 2, then alice 1; agents without denials have no bar.
        String denials = between(page, "id=\"denials-by-agent\"", "</section>");
        assertThat(denials).containsSubsequence("<title>bob: 2 denied</title>", "<title>alice: 1 denied</title>")
                .doesNotContain("ops", "carol");
        // Calls over time: one call a second, in one-second buckets from the first call.
        String timeline = between(page, "id=\"calls-over-time\"", "</section>");
        assertThat(timeline)
                .contains("<title>2025-03-01T09:30:01.000Z (1 s): 1 allowed, 0 denied</title>")
                .contains("<title>2025-03-01T09:30:05.000Z (1 s): 0 allowed, 1 denied</title>")
                .contains("<tr><td>2025-03-01T09:30:06.000Z</td><td>0</td><td>1</td></tr>");
        assertThat(count(timeline, "<rect ")).as("one bar per call: 5 allowed, 3 denied").isEqualTo(8);
        String rings = between(page, "id=\"rings\"", "</section>");
        assertThat(rings).contains("<tr><th scope=\"row\">3</th><td>1</td><td>1</td><td>0</td><td>0</td></tr>");
    }

    @Test
    void htmlEscapesHostileAgentIds() throws Exception {
        Path hostile = tmp.resolve("hostile");
        try (TrailFixture trail = TrailFixture.create(hostile)) {
            trail.decision(RecordType.CALL_DENIED, HOSTILE_AGENT, 3, 1, "", "com.acme.Bank", "transfer", "()V")
                    .decision(RecordType.CALL_DENIED, "\"><img src=x onerror=alert(1)>", 3, 1, "",
                            "com.acme.<b>Evil", "m&m", "()V")
                    .control(ControlEvent.SLASHED, "agent:" + HOSTILE_AGENT, "<u>offender</u>", "<i>cause</i>",
                            "points=5 level=1 chain=<u>offender</u><" + HOSTILE_AGENT);
        }
        Path html = tmp.resolve("hostile.html");

        Cli.Result result = Cli.run("report", hostile.toString(), "--html", html.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertSelfContained(page);
        assertThat(page).doesNotContain("<img", "<b>Evil")
                .contains("<title>" + HOSTILE_ESCAPED + ": 1 denied</title>")
                .contains("<tr><td>" + HOSTILE_ESCAPED + "</td><td>1</td><td>0</td><td>1</td><td>0</td></tr>")
                .contains("<tr><td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>")
                .contains("<code>com.acme.&lt;b&gt;Evil#m&amp;m</code>");
        // The liability tables: agent, offender, chain and cause all come from the trail.
        String liability = between(page, "id=\"liability\"", "</section>");
        assertThat(liability).doesNotContain("<u>", "<i>")
                .contains("<tr><td>" + HOSTILE_ESCAPED + "</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td>"
                        + "<td>5</td><td>&lt;u&gt;offender&lt;/u&gt; 5</td></tr>")
                .contains("<td>&lt;u&gt;offender&lt;/u&gt;</td><td>&lt;u&gt;offender&lt;/u&gt;&lt;" + HOSTILE_ESCAPED
                        + "</td><td>&lt;i&gt;cause&lt;/i&gt;</td></tr>");
        // The text report shows the ids as they are: it is not markup.
        assertThat(result.out()).contains(HOSTILE_AGENT);
    }

    @Test
    void htmlReplacesAnExistingFile() throws Exception {
        Path html = tmp.resolve("report.html");
        Files.writeString(html, "old");

        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>");
        assertThat(tmp.toFile().list()).as("no temporary file left").containsExactlyInAnyOrder("trail",
                "report.html");
    }

    @Test
    void htmlIsReadableLikeAnyNewFileNotOwnerOnly() throws Exception {
        Path html = tmp.resolve("report.html");
        Path plain = Files.writeString(tmp.resolve("plain.txt"), "x");
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class));

        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(Files.getPosixFilePermissions(html)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    /**
     * No script, no reference to anything outside the file, and a title on every chart. Text from the trail may
     * read like markup once escaped ({@code src=x}), so attributes are checked tag by tag.
     */
    static void assertSelfContained(String page) {
        String lower = page.toLowerCase(Locale.ROOT);
        assertThat(lower).startsWith("<!doctype html>").endsWith("</html>\n")
                .doesNotContain("<script", "javascript:", "http:", "https:", "url(", "@import", "@font-face");
        Matcher tags = Pattern.compile("<([a-z][a-z0-9]*)([^>]*)>").matcher(lower);
        int tagCount = 0;
        while (tags.find()) {
            tagCount++;
            assertThat(tags.group(1)).as(tags.group()).isNotIn("script", "link", "img", "image", "iframe",
                    "object", "embed", "use", "foreignobject", "audio", "video", "source", "base", "form");
            assertThat(tags.group(2)).as(tags.group())
                    .doesNotContainPattern("(^|\\s)(src|href|xlink:href|on[a-z]+)\\s*=");
        }
        assertThat(tagCount).isGreaterThan(100);
        assertThat(count(lower, "<svg ")).isEqualTo(count(lower, "</svg>")).isPositive();
        Matcher svg = Pattern.compile("<svg [^>]*role=\"img\"[^>]*>\\s*<title id=").matcher(page);
        int titled = 0;
        while (svg.find()) {
            titled++;
        }
        assertThat(titled).as("every chart opens with its title").isEqualTo(count(lower, "<svg "));
    }

    /** Report lines, trimmed, with runs of spaces made one, so columns compare whatever their widths. */
    static List<String> rows(String out) {
        return out.lines().map(l -> l.strip().replaceAll(" +", " ")).toList();
    }

    /** The lines under {@code heading}, up to the next blank line. */
    static List<String> section(List<String> rows, String heading) {
        int start = rows.indexOf(heading);
        assertThat(start).as("heading '%s' in %s", heading, rows).isNotNegative();
        int end = start + 1;
        while (end < rows.size() && !rows.get(end).isEmpty()) {
            end++;
        }
        return rows.subList(start + 1, end);
    }

    static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as(from).isNotNegative();
        int end = text.indexOf(to, start);
        assertThat(end).as(to).isPositive();
        return text.substring(start, end);
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
