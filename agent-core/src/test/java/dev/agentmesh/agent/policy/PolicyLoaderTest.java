package dev.agentmesh.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyLoaderTest {

    private static final String FILE = "policy.yaml";

    @Test
    void loadsEveryPartOfAValidFile() throws Exception {
        Path file = resource("valid.yaml");

        Policy policy = PolicyLoader.load(file);

        assertThat(policy.defaultRing()).isEqualTo(2);
        assertThat(policy.defaultAgent()).isEqualTo("anonymous-caller");
        assertThat(policy.agents()).containsExactly(entry("researcher-1", 2), entry("ops-bot", 1),
                entry("kernel", 0), entry("sandbox-runner", 3));
        assertThat(policy.source()).isEqualTo(file.toString());
        assertThat(policy.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void ringOfGivesListedRingsAndTheDefaultForAnyoneElse() throws Exception {
        Policy policy = PolicyLoader.load(resource("valid.yaml"));

        assertThat(policy.ringOf("ops-bot")).isEqualTo(1);
        assertThat(policy.ringOf("kernel")).isEqualTo(0);
        assertThat(policy.ringOf("stranger")).isEqualTo(2);
        assertThat(policy.ringOf("OPS-BOT")).as("ids are case-sensitive").isEqualTo(2);
        assertThat(policy.ringOf(null)).isEqualTo(2);
    }

    @Test
    void digestIsSha256OfTheRawBytes() {
        Policy policy = parse("version: 1\n");

        // sha256sum of the 11 bytes "version: 1\n", computed outside Java.
        assertThat(HexFormat.of().formatHex(policy.digest()))
                .isEqualTo("09bfcc6a14b83e2192b8673677725c84883ee9cd0c70e45c9ec09daa8f2b2847");
    }

    @Test
    void missingKeysFallBackToTheDefaults() {
        Policy policy = parse("version: 1\n");

        assertThat(policy.defaultRing()).isEqualTo(Policy.DEFAULT_RING);
        assertThat(policy.defaultAgent()).isEqualTo(Policy.DEFAULT_AGENT);
        assertThat(policy.agents()).isEmpty();
        assertThat(policy.source()).isEqualTo(FILE);
    }

    @Test
    void rateLimitsComeFromTheAgentElseItsRing() {
        Policy policy = parse("limits:\n  rings:\n    2: {perSecond: 50, burst: 100}\n    3: {perSecond: 0.5, burst: 1}\n"
                + "  session: {perSecond: 200, burst: 400}\n"
                + "agents:\n  bot: {ring: 2}\n  slow-bot: {ring: 2, limit: {perSecond: 5, burst: 10}}\n"
                + "  root: {ring: 0}\n");

        assertThat(policy.limitOf("bot")).contains(new RateLimit(50, 100));
        assertThat(policy.limitOf("slow-bot")).contains(new RateLimit(5, 10));
        assertThat(policy.limitOf("root")).isEmpty();
        assertThat(policy.limitOf("stranger")).as("ring 3 by default").contains(new RateLimit(0.5, 1));
        assertThat(policy.sessionLimit()).contains(new RateLimit(200, 400));
        assertThat(parse("version: 1\n").sessionLimit()).isEmpty();
    }

    @Test
    void theToolsSectionMapsNamesPatternsAndAnnotationsToRings() {
        Policy policy = parse("defaults: {toolRing: 3}\ntools:\n  web_search: {ring: 2}\n  delete_records: {ring: 0}\n"
                + "  \"com.acme.tools.*#drop*\": {ring: 0}\n  \"@com.acme.Dangerous\": {ring: 1}\n");

        ToolRules tools = policy.tools();
        assertThat(tools.rules()).extracting(ToolRule::key, ToolRule::kind, ToolRule::ring, ToolRule::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web_search", ToolRule.Kind.NAME, 2, 3),
                        org.assertj.core.groups.Tuple.tuple("delete_records", ToolRule.Kind.NAME, 0, 4),
                        org.assertj.core.groups.Tuple.tuple("com.acme.tools.*#drop*", ToolRule.Kind.METHOD, 0, 5),
                        org.assertj.core.groups.Tuple.tuple("@com.acme.Dangerous", ToolRule.Kind.ANNOTATION, 1, 6));
        assertThat(tools.defaultRing()).isEqualTo(3);
        assertThat(tools.ringOf("web_search", "x.Y", "search", java.util.List.of())).isEqualTo(2);
        assertThat(tools.ringOf(null, "com.acme.tools.Db", "dropTable", java.util.List.of())).isZero();
        assertThat(tools.ringOf(null, "x.Y", "z", java.util.List.of())).isEqualTo(3);
        assertThat(parse("version: 1\n").tools()).isEqualTo(ToolRules.none());
        assertThat(tools.ringInherited()).as("inherited unless the policy says not").isTrue();
        assertThat(parse("defaults: {inheritRing: false}\n").tools().ringInherited()).isFalse();
    }

    @Test
    void liabilityAndBreachSectionsAreReadWithTheirDefaultsFilledIn() {
        Policy policy = parse("liability:\n  initialTrust: 300\n  rings: {1: 900, 2: 600, 3: 0}\n"
                + "  slash: {violation: 10}\n  cascade: {depth: 1}\n  blastRadius: {spawned: NONE, minutes: 5}\n"
                + "  vouches:\n    - {voucher: lead, vouchee: helper, share: 0.25}\n"
                + "breach: {threshold: 4, action: KILL}\n"
                + "agents:\n  lead: {ring: 1, trust: 900}\n  helper: {ring: trust}\n");

        LiabilityPolicy l = policy.liability().orElseThrow();
        assertThat(l.initialTrust()).isEqualTo(300);
        assertThat(l.ringFor(899)).isEqualTo(2);
        assertThat(l.ringFor(900)).isEqualTo(1);
        assertThat(l.ringFor(599)).isEqualTo(3);
        assertThat(l.slashViolation()).isEqualTo(10);
        assertThat(l.slashBreach()).isEqualTo(200);
        assertThat(l.cascadeDepth()).isEqualTo(1);
        assertThat(l.cascadeShare()).isEqualTo(0.5);
        assertThat(l.blastVouchees()).contains(Containment.DEMOTE);
        assertThat(l.blastSpawned()).isEmpty();
        assertThat(l.blastMinutes()).isEqualTo(5);
        assertThat(l.vouches()).containsExactly(new DeclaredVouch("lead", "helper", 0.25));
        assertThat(policy.breach()).contains(new BreachPolicy(60, 4, 3, 1, BreachPolicy.Action.KILL, 60));
        assertThat(policy.ringFromTrust("helper")).isTrue();
        assertThat(policy.ringOf("helper")).isEqualTo(3);
        assertThat(policy.trustOf("lead")).hasValue(900);
        assertThat(policy.trustOf("helper")).hasValue(300);
        assertThat(parse("liability:\n").liability()).contains(LiabilityPolicy.builder().build());
        assertThat(parse("version: 1\n").liability()).isEmpty();
        assertThat(parse("version: 1\n").trustOf("a")).isEmpty();
    }

    @Test
    void elevationLimitsDefaultToFifteenMinutes() {
        Policy policy = parse("agents:\n  a: {ring: 2, elevation: {ring: 1}}\n  b: {ring: 3, elevation: {ring: 2, "
                + "maxMinutes: 5}}\n");
        assertThat(policy.elevationOf("a")).contains(new ElevationLimit(1, 15));
        assertThat(policy.elevationOf("b")).contains(new ElevationLimit(2, 5));
        assertThat(policy.elevationOf("c")).isEmpty();
    }

    @Test
    void emptySectionsMeanNothingGiven() {
        Policy policy = parse("defaults:\nagents:   # all commented out for now\n#  ops-bot: {ring: 1}\n");

        assertThat(policy.defaultRing()).isEqualTo(3);
        assertThat(policy.agents()).isEmpty();
    }

    @Test
    void agentIdsAreTakenAsWritten() {
        Policy policy = parse("agents:\n  007: {ring: 1}\n  \"null\": {ring: 2}\n  'with space': {ring: 0}\n");

        assertThat(policy.agents()).containsExactly(entry("007", 1), entry("null", 2), entry("with space", 0));
    }

    @Test
    void toleratesAUtf8ByteOrderMarkButHashesIt() {
        byte[] bytes = "\uFEFFagents: {ops-bot: {ring: 1}}\n".getBytes(StandardCharsets.UTF_8);

        Policy policy = PolicyLoader.parse(FILE, bytes);

        assertThat(policy.ringOf("ops-bot")).isEqualTo(1);
        assertThat(policy.digest()).isEqualTo(Sha256.of(bytes));
    }

    @Test
    void aliasesResolveToTheAnchoredSettings() {
        Policy policy = parse("agents:\n  a: &trusted {ring: 1}\n  b: *trusted\n");

        assertThat(policy.agents()).containsExactly(entry("a", 1), entry("b", 1));
    }

    @Test
    void missingFileIsReportedWithoutALine(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load(file));

        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.line()).isZero();
        assertThat(e.getMessage()).isEqualTo(file + ": cannot read policy file: no such file");
    }

    @Test
    void unreadableFileIsReported(@TempDir Path dir) {
        // A directory cannot be read as a file, even by root, unlike a file with its permissions removed.
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load(dir));

        assertThat(e.line()).isZero();
        assertThat(e.problem()).startsWith("cannot read policy file: ");
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void errorsFromAFileNameItsPathAndLine() throws Exception {
        Path file = resource("duplicate-agent.yaml");

        assertThatThrownBy(() -> PolicyLoader.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessage(file + ":5: duplicate agent id 'ops-bot' under agents; first defined at line 3");
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                bad("empty file", "", 0, "policy file is empty"),
                bad("only comments", "# nothing yet\n", 0, "policy file is empty"),
                bad("empty document", "---\n", 0, "policy file is empty"),
                bad("document is a list", "- ops-bot\n", 1, "a policy must be a mapping", "got a list"),
                bad("document is a scalar", "\n\nring 3\n", 3, "a policy must be a mapping", "got ring 3"),
                bad("unclosed flow sequence", "agents:\n  ops-bot: {ring: [1}\n", 2, "invalid YAML",
                        "while parsing a flow sequence"),
                bad("tab indentation", "agents:\n\tops-bot: {ring: 1}\n", 2, "invalid YAML", "TAB"),
                bad("undefined alias", "version: 1\nagents: *nothing\n", 2, "invalid YAML",
                        "undefined alias nothing"),
                bad("nested too deep", "version: 1\nagents:\n  a: " + "[".repeat(5_000) + "\n", 3, "invalid YAML",
                        "nested more than 64 levels deep"),
                bad("control character", "agents:\n  ops-bot: {ring: \u0007}\n", 2, "invalid YAML",
                        "U+0007"),
                bad("unknown top-level key", "version: 1\nagent:\n  ops-bot: {ring: 1}\n", 2,
                        "unknown key 'agent' at top level", "allowed keys: version, defaults, limits, agents, liability, breach, tools"),
                bad("unknown key under defaults", "defaults:\n  ring: 2\n  rings: 1\n", 3,
                        "unknown key 'rings' under defaults", "allowed keys: ring, agent, toolRing, inheritRing"),
                bad("inheritRing is a word", "defaults:\n  inheritRing: maybe\n", 2,
                        "defaults.inheritRing must be true or false", "got maybe"),
                bad("inheritRing quoted", "defaults:\n  inheritRing: \"false\"\n", 2,
                        "defaults.inheritRing must be true or false", "got \"false\""),
                bad("unknown key for an agent", "agents:\n  ops-bot:\n    ring: 1\n    rign: 2\n", 4,
                        "unknown key 'rign' for agent 'ops-bot'", "allowed keys: ring, limit, elevation, trust"),
                bad("ring is a word", "agents:\n  ops-bot: {ring: two}\n", 2,
                        "ring of agent 'ops-bot' must be an integer from 0 (system) to 3 (sandboxed)", "got two"),
                bad("ring too high", "agents:\n  ops-bot: {ring: 5}\n", 2, "ring of agent 'ops-bot'", "got 5"),
                bad("ring negative", "agents:\n  ops-bot: {ring: -1}\n", 2, "ring of agent 'ops-bot'", "got -1"),
                bad("ring quoted", "agents:\n  ops-bot: {ring: \"2\"}\n", 2, "ring of agent 'ops-bot'",
                        "got \"2\""),
                bad("ring fractional", "defaults:\n  ring: 2.5\n", 2, "defaults.ring must be an integer", "got 2.5"),
                bad("ring in hex", "defaults:\n  ring: 0x1\n", 2, "defaults.ring must be an integer", "got 0x1"),
                bad("ring beyond int", "defaults:\n  ring: 4294967296\n", 2, "defaults.ring", "got 4294967296"),
                bad("ring empty", "defaults:\n  ring:\n", 2, "defaults.ring", "got nothing"),
                bad("ring is a list", "defaults:\n  ring: [1]\n", 2, "defaults.ring", "got a list"),
                bad("duplicate agent", "agents:\n  ops-bot: {ring: 1}\n  researcher: {ring: 2}\n  ops-bot: {ring: 0}\n",
                        4, "duplicate agent id 'ops-bot' under agents", "first defined at line 2"),
                bad("duplicate top-level key", "agents: {}\nversion: 1\nagents: {}\n", 3,
                        "duplicate key 'agents' at top level", "first defined at line 1"),
                bad("duplicate key under defaults", "defaults:\n  ring: 1\n  ring: 2\n", 3,
                        "duplicate key 'ring' under defaults", "first defined at line 2"),
                bad("duplicate key for an agent", "agents:\n  ops-bot:\n    ring: 1\n    ring: 2\n", 4,
                        "duplicate key 'ring' for agent 'ops-bot'", "first defined at line 3"),
                bad("empty agent id", "agents:\n  '': {ring: 1}\n", 2, "agent id under agents must not be blank"),
                bad("blank agent id", "agents:\n  ops-bot: {ring: 1}\n  '   ': {ring: 1}\n", 3,
                        "agent id under agents must not be blank"),
                bad("null agent id", "agents:\n  ~: {ring: 1}\n", 2, "agent id under agents must not be blank"),
                bad("agent id is a list", "agents:\n  ? [a, b]\n  : {ring: 1}\n", 2,
                        "agent id under agents must be a plain string", "got a list"),
                bad("agent value is a number", "agents:\n  ops-bot: 1\n", 2,
                        "agent 'ops-bot' must be a mapping such as {ring: 1}", "got 1"),
                bad("agent value is empty", "agents:\n  ops-bot:\n  other: {ring: 1}\n", 2,
                        "agent 'ops-bot' must be a mapping", "got nothing"),
                bad("agent without a ring", "agents:\n  ops-bot: {}\n", 2, "agent 'ops-bot' has no ring"),
                bad("agents is a list", "agents:\n  - ops-bot\n", 2, "agents must be a mapping", "got a list"),
                bad("defaults is a number", "defaults: 3\n", 1, "defaults must be a mapping", "got 3"),
                bad("default agent blank", "defaults:\n  agent: ''\n", 2,
                        "defaults.agent must be a non-blank agent id"),
                bad("default agent empty", "defaults:\n  agent:\n", 2, "defaults.agent", "got nothing"),
                bad("version 2", "version: 2\n", 1, "version must be 1", "got 2"),
                bad("version quoted", "\nversion: '1'\n", 2, "version must be 1", "got \"1\""),
                bad("version 1.0", "version: 1.0\n", 1, "version must be 1", "got 1.0"),
                bad("second document", "agents: {}\n---\nagents: {}\n", 2, "one YAML document",
                        "a second one starts here"),
                bad("second empty document", "version: 1\n...\n# trailer\n---\n", 4, "one YAML document"),
                bad("limit without burst", "limits:\n  session: {perSecond: 5}\n", 2,
                        "limits.session needs both perSecond and burst"),
                bad("limit rate zero", "limits:\n  rings:\n    2: {perSecond: 0, burst: 1}\n", 3,
                        "limits.rings.2.perSecond must be a number more than 0", "got 0"),
                bad("limit rate quoted", "agents:\n  bot: {ring: 2, limit: {perSecond: '5', burst: 1}}\n", 2,
                        "limit of agent 'bot'.perSecond must be a number", "got \"5\""),
                bad("limit burst fractional", "limits:\n  session: {perSecond: 5, burst: 1.5}\n", 2,
                        "limits.session.burst must be an integer of at least 1", "got 1.5"),
                bad("limit ring out of range", "limits:\n  rings:\n    4: {perSecond: 1, burst: 1}\n", 3,
                        "a ring under limits.rings must be an integer from 0", "got 4"),
                bad("unknown key under limits", "limits:\n  agents: {}\n", 2,
                        "unknown key 'agents' under limits", "allowed keys: rings, session"),
                bad("elevation to ring 0", "agents:\n  a: {ring: 2, elevation: {ring: 0}}\n", 2,
                        "elevation of agent 'a'.ring must be 1 to 3 (elevation never grants ring 0)", "got 0"),
                bad("elevation not above own ring", "agents:\n  a: {ring: 2, elevation: {ring: 2}}\n", 2,
                        "elevation of agent 'a' reaches ring 2, which is not more privileged than its own ring 2"),
                bad("elevation too long", "agents:\n  a: {ring: 2, elevation: {ring: 1, maxMinutes: 61}}\n", 2,
                        "elevation of agent 'a'.maxMinutes must be an integer from 1 to 60", "got 61"),
                bad("unknown key in a limit", "limits:\n  session: {perSecond: 1, burst: 1, perMinute: 2}\n", 2,
                        "unknown key 'perMinute' in limits.session", "allowed keys: perSecond, burst"),
                bad("ring from trust without liability", "agents:\n  a: {ring: trust}\n", 2,
                        "agent 'a' takes its ring from trust, but the policy has no liability section"),
                bad("trust without liability", "agents:\n  a: {ring: 1, trust: 500}\n", 2,
                        "agent 'a' has a trust score, but the policy has no liability section"),
                bad("trust too high", "liability:\nagents:\n  a: {ring: 1, trust: 1001}\n", 3,
                        "trust of agent 'a' must be an integer from 0 to 1000", "got 1001"),
                bad("ring from trust and elevation", "liability:\nagents:\n  a: {ring: trust, elevation: {ring: 1}}\n",
                        3, "agent 'a' takes its ring from trust, so it cannot have an elevation"),
                bad("ring 0 from trust", "liability:\n  rings: {0: 900}\n", 2,
                        "a ring under liability.rings must be 1, 2 or 3 (ring 0 is never earned by trust)", "got 0"),
                bad("thresholds upside down", "liability:\n  rings: {1: 400, 2: 600}\n", 2,
                        "liability: ring 2 needs 600 trust, more than ring 1 needs (400)"),
                bad("self vouch", "liability:\n  vouches:\n    - {voucher: a, vouchee: a, share: 0.5}\n", 3,
                        "agent 'a' cannot vouch for itself"),
                bad("over-staked", "liability:\n  vouches:\n    - {voucher: a, vouchee: b, share: 0.6}\n"
                        + "    - {voucher: a, vouchee: c, share: 0.6}\n", 4,
                        "agent 'a' stakes more than all its trust: its shares add up to 1.2"),
                bad("vouch share zero", "liability:\n  vouches:\n    - {voucher: a, vouchee: b, share: 0}\n", 3,
                        "share of a vouch must be a number more than 0 to 1", "got 0"),
                bad("vouch missing vouchee", "liability:\n  vouches:\n    - {voucher: a, share: 0.5}\n", 3,
                        "a vouch needs voucher, vouchee and share"),
                bad("cascade too deep", "liability:\n  cascade: {share: 0.5, depth: 9}\n", 2,
                        "liability.cascade.depth must be an integer from 0 to 5", "got 9"),
                bad("blast radius mode", "liability:\n  blastRadius: {vouchees: KILL}\n", 2,
                        "liability.blastRadius.vouchees must be NONE, DEMOTE or BLOCK", "got KILL"),
                bad("unknown liability key", "liability:\n  slashes: {}\n", 2,
                        "unknown key 'slashes' in liability", "allowed keys: initialTrust, rings, slash, cascade"),
                bad("breach action", "breach:\n  action: EXPLODE\n", 2,
                        "breach.action must be DEMOTE, BLOCK or KILL", "got EXPLODE"),
                bad("breach threshold zero", "breach:\n  threshold: 0\n", 2,
                        "breach.threshold must be an integer from 1", "got 0"),
                bad("tool without a ring", "tools:\n  web_search: {}\n", 2, "tool 'web_search' has no ring"),
                bad("tool ring out of range", "tools:\n  web_search: {ring: 4}\n", 2,
                        "ring of tool 'web_search' must be an integer from 0", "got 4"),
                bad("tool with a bad pattern", "tools:\n  \"com.acme#\": {ring: 1}\n", 2,
                        "tool 'com.acme#': a method pattern is class#method"),
                bad("tool with a bad annotation", "tools:\n  \"@not a name\": {ring: 1}\n", 2,
                        "tool '@not a name': an annotation key is @ and the annotation's binary name"),
                bad("duplicate tool", "tools:\n  a: {ring: 1}\n  a: {ring: 2}\n", 3, "duplicate tool 'a' under tools"),
                bad("unknown key for a tool", "tools:\n  a: {ring: 1, rnig: 2}\n", 2,
                        "unknown key 'rnig' for tool 'a'", "allowed keys: ring"),
                bad("breach scores nothing", "breach:\n  points: {violation: 0, denial: 0}\n", 2,
                        "breach points must not be negative, and not both 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void badPolicyNamesTheLineAndTheProblem(String why, String yaml, int line, String[] mentions) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> parse(yaml));

        assertThat(e).as("expected a PolicyException").isNotNull();
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.problem()).contains(mentions);
        String where = line == 0 ? FILE : FILE + ":" + line;
        assertThat(e.getMessage()).isEqualTo(where + ": " + e.problem()).doesNotContain("\n", "\r", "\tat ");
    }

    @Test
    void invalidUtf8NamesTheLineOfTheBadByte() {
        byte[] bytes = {'a', 'g', 'e', 'n', 't', 's', ':', '\n', ' ', ' ', 'x', ':', ' ', (byte) 0xC3, '(', '\n'};

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(FILE, bytes));

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("policy file is not valid UTF-8: bad byte 0xC3");
    }

    @Test
    void yamlErrorMessagesAreFlattenedToOneLine() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> parse("agents:\n  ops-bot: 'open\n"));

        // SnakeYAML's own message spans several lines with a snippet and a caret.
        assertThat(e.getCause().getMessage()).contains("\n");
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("^")
                .startsWith(FILE + ":3: invalid YAML: found unexpected end of stream");
    }

    @Test
    void agentIdsWithLineBreaksAreEscapedInMessages() {
        PolicyException e = catchThrowableOfType(PolicyException.class,
                () -> parse("agents:\n  \"evil\\nid\": {ring: 9}\n"));

        assertThat(e.problem()).contains("agent 'evil\\nid'");
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void rejectsABlankSource() {
        assertThatThrownBy(() -> PolicyLoader.parse(" ", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    private static Arguments bad(String why, String yaml, int line, String... mentions) {
        return Arguments.of(why, yaml, line, mentions);
    }

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(PolicyLoaderTest.class.getResource("/policy/" + name).toURI());
    }
}
