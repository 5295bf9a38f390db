package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordFilterTest {

    /** 2026-11-24T05:00:00Z. */
    static final long FIVE_AM = 1_795_496_400_000L;

    private static final AuditRecord GENESIS = genesis(FIVE_AM);
    private static final AuditRecord ALICE_SEARCH = decision(RecordType.CALL_ALLOWED, "alice", 1, "s-1",
            "com.acme.Tools", "search", FIVE_AM);
    private static final AuditRecord MALLORY_TRANSFER = decision(RecordType.CALL_DENIED, "mallory", 3, "",
            "com.acme.Bank", "transfer", FIVE_AM);
    // the outcomes of ALICE_SEARCH, in her session
    private static final AuditRecord RETURNED = outcome(RecordType.CALL_RETURNED, "s-1", FIVE_AM);
    private static final AuditRecord THREW = outcome(RecordType.CALL_THREW, "s-1", FIVE_AM);

    @Test
    void noCriteriaSelectEverything() {
        RecordFilter all = RecordFilter.builder().build();

        assertThat(all.selects(GENESIS)).isTrue();
        assertThat(all.selects(ALICE_SEARCH)).isTrue();
        assertThat(all.selects(MALLORY_TRANSFER)).isTrue();
        assertThat(all.followsCall(ALICE_SEARCH)).isTrue();
        assertThat(all.selectsOutcome(RETURNED, true)).isTrue();
        assertThat(all.selectsOutcome(THREW, true)).isTrue();
    }

    @Test
    void outcomesAreNeverSelectedOnTheirOwn() {
        RecordFilter all = RecordFilter.builder().build();

        assertThat(all.selects(RETURNED)).isFalse();
        assertThat(all.selects(THREW)).isFalse();
        assertThat(all.followsCall(RETURNED)).isFalse();
    }

    @Test
    void outcomesOfCallsNotFollowedDoNotShowWithoutASession() {
        RecordFilter all = RecordFilter.builder().build();

        assertThat(all.selectsOutcome(RETURNED, false)).isFalse();
        assertThat(RecordFilter.builder().agent("alice").build().selectsOutcome(THREW, false)).isFalse();
        assertThat(RecordFilter.builder().since(FIVE_AM).build().selectsOutcome(THREW, false))
                .as("time alone does not select an outcome: it follows its call").isFalse();
        assertThat(all.selectsOutcome(ALICE_SEARCH, true)).as("not an outcome").isFalse();
    }

    @Test
    void aSessionSelectsItsOutcomesDirectly() {
        RecordFilter s1 = RecordFilter.builder().session("s-1").build();

        assertThat(s1.selectsOutcome(RETURNED, false)).isTrue();
        assertThat(s1.selectsOutcome(THREW, false)).isTrue();
        assertThat(s1.selectsOutcome(outcome(RecordType.CALL_RETURNED, "s-2", FIVE_AM), false)).isFalse();
        assertThat(s1.selectsOutcome(outcome(RecordType.CALL_RETURNED, "", FIVE_AM), false)).isFalse();
        // a followed call's outcome shows as before
        assertThat(s1.selectsOutcome(outcome(RecordType.CALL_RETURNED, "s-2", FIVE_AM), true)).isTrue();
        // '' selects the outcomes of calls outside any session
        RecordFilter none = RecordFilter.builder().session("").build();
        assertThat(none.selectsOutcome(outcome(RecordType.CALL_THREW, "", FIVE_AM), false)).isTrue();
        assertThat(none.selectsOutcome(THREW, false)).isFalse();
        // the record types still choose
        RecordFilter s1Threw = RecordFilter.builder().session("s-1").decision(RecordType.CALL_THREW).build();
        assertThat(s1Threw.selectsOutcome(THREW, false)).isTrue();
        assertThat(s1Threw.selectsOutcome(RETURNED, false)).isFalse();
        assertThat(RecordFilter.builder().session("s-1").decision(RecordType.CALL_DENIED).build()
                .selectsOutcome(RETURNED, false)).isFalse();
        // the time window applies to the outcome's own time
        assertThat(RecordFilter.builder().session("s-1").since(FIVE_AM + 1).build().selectsOutcome(RETURNED, false))
                .isFalse();
        assertThat(RecordFilter.builder().session("s-1").until(FIVE_AM + 1).build().selectsOutcome(RETURNED, false))
                .isTrue();
    }

    @Test
    void criteriaAnOutcomeCannotTestMakeItFollowItsCall() {
        // an outcome has no agent, principal, framework, tool, ring or method: with any of those it shows only if its
        // ALLOW matched
        for (RecordFilter f : new RecordFilter[] {
            RecordFilter.builder().session("s-1").agent("alice").build(),
            RecordFilter.builder().session("s-1").onBehalfOf("lead").build(),
            RecordFilter.builder().session("s-1").framework("langchain4j").build(),
            RecordFilter.builder().session("s-1").tool("web_search").build(),
            RecordFilter.builder().session("s-1").framework("").tool("").build(),
            RecordFilter.builder().session("s-1").ring(1).build(),
            RecordFilter.builder().session("s-1").method("search").build()}) {
            assertThat(f.selectsOutcome(RETURNED, false)).isFalse();
            assertThat(f.selectsOutcome(RETURNED, true)).isTrue();
        }
    }

    @Test
    void onBehalfOfMatchesAnyLinkOfADecisionsChain() {
        AuditRecord delegated = decode(new RecordEncoder().decision(RecordType.CALL_ALLOWED, 1, FIVE_AM, 2, 2,
                Utf8.encode("helper"), Utf8.encode("s-1"), Utf8.encode("com.acme.Tools"), Utf8.encode("search"),
                Utf8.encode("()V"), new ArgumentDigest().digest("arg"), Utf8.encode("lead>orchestrator"),
                Utf8.encode("lead")));
        for (String principal : new String[] {"lead", "orchestrator"}) {
            RecordFilter f = RecordFilter.builder().onBehalfOf(principal).build();
            assertThat(f.selects(delegated)).as(principal).isTrue();
            assertThat(f.followsCall(delegated)).isTrue();
        }
        // not the agent itself, not a voucher, not part of a link, not the chain as a whole
        for (String other : new String[] {"helper", "lea", "lead>orchestrator", ""}) {
            assertThat(RecordFilter.builder().onBehalfOf(other).build().selects(delegated)).as(other).isFalse();
        }
        RecordFilter lead = RecordFilter.builder().onBehalfOf("lead").build();
        assertThat(lead.selects(ALICE_SEARCH)).as("acting for itself").isFalse();
        assertThat(lead.selects(GENESIS)).isFalse();
        assertThat(RecordFilter.builder().onBehalfOf("lead").agent("helper").build().selects(delegated)).isTrue();
        assertThat(RecordFilter.builder().onBehalfOf("lead").agent("alice").build().selects(delegated)).isFalse();
    }

    @Test
    void frameworkAndToolMatchADecisionsOwnExactly() {
        AuditRecord search = frameworkCall("langchain4j", "web_search", "call_1");
        AuditRecord mcp = frameworkCall("mcp", "web_search", "req-1");
        RecordFilter langchain4j = RecordFilter.builder().framework("langchain4j").build();
        assertThat(langchain4j.selects(search)).isTrue();
        assertThat(langchain4j.followsCall(search)).as("its outcomes follow it").isTrue();
        assertThat(langchain4j.selects(mcp)).isFalse();
        assertThat(langchain4j.selects(ALICE_SEARCH)).as("a plain call").isFalse();
        // A tool name matches in any framework, and neither matches part of a name, a case variant, the invocation
        // id, or the Java method that implements the tool.
        assertThat(RecordFilter.builder().tool("web_search").build().selects(mcp)).isTrue();
        for (String other : new String[] {"web", "WEB_SEARCH", "call_1", "search", "langchain4j:web_search"}) {
            assertThat(RecordFilter.builder().tool(other).build().selects(search)).as(other).isFalse();
            assertThat(RecordFilter.builder().framework(other).build().selects(search)).as(other).isFalse();
        }
        // Several values of one: any; both criteria: all.
        assertThat(RecordFilter.builder().framework("mcp").framework("langchain4j").build().selects(search)).isTrue();
        assertThat(RecordFilter.builder().framework("mcp").tool("web_search").build().selects(search)).isFalse();
        assertThat(RecordFilter.builder().framework("langchain4j").agent("alice").build().selects(search)).isTrue();
        assertThat(RecordFilter.builder().tool("web_search").agent("bob").build().selects(search)).isFalse();
        // '' is a plain @Ring call's: no framework, no tool.
        assertThat(RecordFilter.builder().framework("").build().selects(ALICE_SEARCH)).isTrue();
        assertThat(RecordFilter.builder().tool("").build().selects(MALLORY_TRANSFER)).isTrue();
        assertThat(RecordFilter.builder().framework("").build().selects(search)).isFalse();
        // Only decisions carry them: not GENESIS, SESSION or CONTROL records, whatever the value.
        AuditRecord joined = session("s-1", SessionEvent.JOINED, "alice", 1);
        AuditRecord killed = decode(new RecordEncoder().control(4, FIVE_AM, ControlEvent.KILLED, Utf8.encode("all"),
                Utf8.encode("ops"), Utf8.encode(""), Utf8.encode("")));
        for (RecordFilter f : new RecordFilter[] {RecordFilter.builder().framework("").build(),
            RecordFilter.builder().tool("").build(), langchain4j}) {
            assertThat(f.selects(GENESIS)).isFalse();
            assertThat(f.selects(joined)).isFalse();
            assertThat(f.selects(killed)).isFalse();
        }
    }

    @Test
    void onlyAllowsAreFollowed() {
        RecordFilter all = RecordFilter.builder().build();

        assertThat(all.followsCall(MALLORY_TRANSFER)).as("a DENY has no outcome").isFalse();
        assertThat(all.followsCall(GENESIS)).isFalse();
    }

    @Test
    void agent() {
        RecordFilter alice = RecordFilter.builder().agent("alice").build();

        assertThat(alice.selects(ALICE_SEARCH)).isTrue();
        assertThat(alice.followsCall(ALICE_SEARCH)).isTrue();
        assertThat(alice.selects(MALLORY_TRANSFER)).isFalse();
        assertThat(alice.selects(GENESIS)).as("GENESIS has no agent").isFalse();
        assertThat(RecordFilter.builder().agent("Alice").build().selects(ALICE_SEARCH)).as("exact").isFalse();
        assertThat(RecordFilter.builder().agent("ali").build().selects(ALICE_SEARCH)).as("whole id").isFalse();
    }

    @Test
    void severalValuesOfOneCriterionMatchAny() {
        RecordFilter either = RecordFilter.builder().agent("bob").agent("mallory").build();

        assertThat(either.selects(MALLORY_TRANSFER)).isTrue();
        assertThat(either.selects(ALICE_SEARCH)).isFalse();
    }

    @Test
    void session() {
        assertThat(RecordFilter.builder().session("s-1").build().selects(ALICE_SEARCH)).isTrue();
        assertThat(RecordFilter.builder().session("s-1").build().selects(MALLORY_TRANSFER)).isFalse();
        RecordFilter noSession = RecordFilter.builder().session("").build();
        assertThat(noSession.selects(MALLORY_TRANSFER)).as("'' is outside any session").isTrue();
        assertThat(noSession.selects(ALICE_SEARCH)).isFalse();
        assertThat(noSession.selects(GENESIS)).isFalse();
    }

    @Test
    void ringIsTheAgentsRing() {
        // ALICE_SEARCH's method requires ring 2; the agent holds ring 1.
        assertThat(RecordFilter.builder().ring(1).build().selects(ALICE_SEARCH)).isTrue();
        assertThat(RecordFilter.builder().ring(2).build().selects(ALICE_SEARCH)).isFalse();
        assertThat(RecordFilter.builder().ring(0).ring(3).build().selects(MALLORY_TRANSFER)).isTrue();
        assertThat(RecordFilter.builder().ring(1).build().selects(GENESIS)).isFalse();
    }

    @Test
    void ringOutsideZeroToThreeIsRefused() {
        assertThatThrownBy(() -> RecordFilter.builder().ring(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordFilter.builder().ring(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RecordFilter.ring("3")).isEqualTo(3);
        assertThat(RecordFilter.ring(" 0 ")).isZero();
        for (String bad : new String[] {"5", "-1", "01", "1.0", "two", ""}) {
            assertThatThrownBy(() -> RecordFilter.ring(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a ring");
        }
    }

    @Test
    void methodByName() {
        assertThat(method("search", "com.acme.Tools", "search")).isTrue();
        assertThat(method("search", "com.acme.Tools", "searchAll")).isFalse();
        assertThat(method("Tools", "com.acme.Tools", "search")).as("a bare word is a method name").isFalse();
    }

    @Test
    void methodByClassAndName() {
        assertThat(method("com.acme.Tools#search", "com.acme.Tools", "search")).isTrue();
        assertThat(method("Tools#search", "com.acme.Tools", "search")).as("simple class name").isTrue();
        assertThat(method("Tools#search", "com.acme.legacy.Tools", "search")).isTrue();
        assertThat(method("Tools#search", "com.acme.OldTools", "search")).isFalse();
        assertThat(method("acme.Tools#search", "com.acme.Tools", "search")).as("no partial package").isFalse();
        assertThat(method("Tools#delete", "com.acme.Tools", "search")).isFalse();
        assertThat(method("Outer$Inner#run", "com.acme.Outer$Inner", "run")).as("nested classes").isTrue();
    }

    @Test
    void methodGlob() {
        assertThat(method("write*", "com.acme.Files", "writeFile")).isTrue();
        assertThat(method("write*", "com.acme.Files", "rewrite")).isFalse();
        assertThat(method("*Tools#*", "com.acme.Tools", "search")).isTrue();
        assertThat(method("*Tools#*", "com.acme.Files", "search")).isFalse();
        assertThat(method("com.acme.*#*", "com.acme.sub.Files", "delete")).as("* spans dots").isTrue();
        assertThat(method("com.acme.*#*", "org.acme.Files", "delete")).isFalse();
        assertThat(method("T*#s*h", "com.acme.Tools", "search")).as("simple class name").isTrue();
        assertThat(method("*", "com.acme.Tools", "search")).isTrue();
        assertThat(method("*#*", "com.acme.Tools", "search")).isTrue();
    }

    @Test
    void methodGlobTreatsEverythingButTheStarAsItself() {
        assertThat(method("a.c", "com.acme.Tools", "abc")).as(". is no regex").isFalse();
        assertThat(method("a?c", "com.acme.Tools", "abc")).as("? is no wildcard").isFalse();
        assertThat(method("a[b]*", "com.acme.Tools", "a[b]x")).isTrue();
        assertThat(method("x$*", "com.acme.Tools", "x$y")).isTrue();
    }

    @Test
    void methodPatternsThatCannotMatchAreRefused() {
        assertThatThrownBy(() -> RecordFilter.builder().method("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordFilter.builder().method("a#b#c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one '#'");
    }

    @Test
    void methodDoesNotMatchGenesis() {
        assertThat(RecordFilter.builder().method("*").build().selects(GENESIS)).isFalse();
    }

    @Test
    void decisionChoosesTheRecordTypes() {
        RecordFilter deny = RecordFilter.builder().decision(RecordType.CALL_DENIED).build();

        assertThat(deny.selects(MALLORY_TRANSFER)).isTrue();
        assertThat(deny.selects(ALICE_SEARCH)).isFalse();
        assertThat(deny.selects(GENESIS)).isFalse();
        assertThat(deny.followsCall(ALICE_SEARCH)).as("no ALLOW shows, so no outcome does").isFalse();
        assertThat(deny.showsAnyOutcome()).isFalse();
    }

    @Test
    void allowBringsBothOutcomes() {
        RecordFilter allow = RecordFilter.builder().decision(RecordType.CALL_ALLOWED).build();

        assertThat(allow.selects(ALICE_SEARCH)).isTrue();
        assertThat(allow.selects(MALLORY_TRANSFER)).isFalse();
        assertThat(allow.followsCall(ALICE_SEARCH)).isTrue();
        assertThat(allow.selectsOutcome(RETURNED, true)).isTrue();
        assertThat(allow.selectsOutcome(THREW, true)).isTrue();
    }

    @Test
    void namingAnOutcomeShowsOnlyThatOutcome() {
        RecordFilter allowAndThrew = RecordFilter.builder().decision(RecordType.CALL_ALLOWED)
                .decision(RecordType.CALL_THREW).build();

        assertThat(allowAndThrew.selects(ALICE_SEARCH)).isTrue();
        assertThat(allowAndThrew.selectsOutcome(THREW, true)).isTrue();
        assertThat(allowAndThrew.selectsOutcome(RETURNED, true)).isFalse();
    }

    @Test
    void outcomeOnlyFollowsMatchingCallsWithoutShowingThem() {
        RecordFilter aliceThrew = RecordFilter.builder().decision(RecordType.CALL_THREW).agent("alice").build();

        assertThat(aliceThrew.selects(ALICE_SEARCH)).as("the ALLOW itself does not show").isFalse();
        assertThat(aliceThrew.followsCall(ALICE_SEARCH)).as("but its outcome may").isTrue();
        assertThat(aliceThrew.selectsOutcome(THREW, true)).isTrue();
        assertThat(aliceThrew.selectsOutcome(RETURNED, true)).isFalse();
        assertThat(aliceThrew.followsCall(decision(RecordType.CALL_ALLOWED, "bob", 1, "", "com.acme.Tools",
                "search", FIVE_AM))).isFalse();
    }

    @Test
    void decisionWordsAreCaseInsensitive() {
        assertThat(RecordFilter.decision("allow")).isEqualTo(RecordType.CALL_ALLOWED);
        assertThat(RecordFilter.decision("Deny")).isEqualTo(RecordType.CALL_DENIED);
        assertThat(RecordFilter.decision("RETURNED")).isEqualTo(RecordType.CALL_RETURNED);
        assertThat(RecordFilter.decision("threw")).isEqualTo(RecordType.CALL_THREW);
        assertThat(RecordFilter.decision("Session")).isEqualTo(RecordType.SESSION_EVENT);
        assertThatThrownBy(() -> RecordFilter.decision("GENESIS")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ALLOW, DENY, RETURNED, THREW, SESSION");
        assertThatThrownBy(() -> RecordFilter.decision("CALL_ALLOWED"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordFilter.builder().decision(RecordType.GENESIS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sinceIsInclusiveUntilIsExclusive() {
        RecordFilter window = RecordFilter.builder().since(FIVE_AM).until(FIVE_AM + 1000).build();

        assertThat(window.selects(at(FIVE_AM - 1))).isFalse();
        assertThat(window.selects(at(FIVE_AM))).isTrue();
        assertThat(window.selects(at(FIVE_AM + 999))).isTrue();
        assertThat(window.selects(at(FIVE_AM + 1000))).isFalse();
        assertThat(window.followsCall(at(FIVE_AM + 1000))).isFalse();
    }

    @Test
    void timeBoundsApplyToGenesisToo() {
        assertThat(RecordFilter.builder().since(FIVE_AM).build().selects(genesis(FIVE_AM))).isTrue();
        assertThat(RecordFilter.builder().since(FIVE_AM).build().selects(genesis(FIVE_AM - 1))).isFalse();
        assertThat(RecordFilter.builder().until(FIVE_AM).build().selects(genesis(FIVE_AM))).isFalse();
    }

    @Test
    void anEmptyWindowIsRefused() {
        assertThatThrownBy(() -> RecordFilter.builder().since(FIVE_AM).until(FIVE_AM).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--until");
        assertThatThrownBy(() -> RecordFilter.builder().since(FIVE_AM).until(FIVE_AM - 1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordFilter.builder().until(Long.MIN_VALUE).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timesAreIsoInstantsOrEpochMillis() {
        assertThat(RecordFilter.time("2026-11-24T05:00:00Z")).isEqualTo(FIVE_AM);
        assertThat(RecordFilter.time("2026-11-24T05:00:00.250Z")).isEqualTo(FIVE_AM + 250);
        assertThat(RecordFilter.time("2026-11-24T06:00:00+01:00")).isEqualTo(FIVE_AM);
        assertThat(RecordFilter.time(Long.toString(FIVE_AM))).isEqualTo(FIVE_AM);
        assertThat(RecordFilter.time("0")).isZero();
        assertThat(RecordFilter.time("-1")).isEqualTo(-1);
    }

    @Test
    void aTimePartWayThroughAMillisecondBoundsFromTheNextOne() {
        // A record at FIVE_AM is before 05:00:00.0005, so neither "since" nor "until" that time may count it in.
        long bound = RecordFilter.time("2026-11-24T05:00:00.000500Z");

        assertThat(bound).isEqualTo(FIVE_AM + 1);
        assertThat(RecordFilter.builder().since(bound).build().selects(at(FIVE_AM))).isFalse();
        assertThat(RecordFilter.builder().until(bound).build().selects(at(FIVE_AM))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-11-24", "2026-11-24T05:00:00", "2026-11-24 05:00:00Z", "",
        "99999999999999999999", "+1000000000-01-01T00:00:00Z", "1.5"})
    void otherTimesAreRefused(String text) {
        assertThatThrownBy(() -> RecordFilter.time(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a time").hasMessageContaining("2026-11-24T05:00:00Z");
    }

    @Test
    void criteriaCombineWithAnd() {
        RecordFilter aliceInS1 = RecordFilter.builder().agent("alice").session("s-1").ring(1).method("search")
                .decision(RecordType.CALL_ALLOWED).since(FIVE_AM).until(FIVE_AM + 1).build();

        assertThat(aliceInS1.selects(ALICE_SEARCH)).isTrue();
        assertThat(aliceInS1.selects(decision(RecordType.CALL_ALLOWED, "alice", 1, "s-2", "com.acme.Tools",
                "search", FIVE_AM))).as("other session").isFalse();
        assertThat(aliceInS1.selects(decision(RecordType.CALL_ALLOWED, "alice", 2, "s-1", "com.acme.Tools",
                "search", FIVE_AM))).as("other ring").isFalse();
        assertThat(aliceInS1.selects(decision(RecordType.CALL_ALLOWED, "alice", 1, "s-1", "com.acme.Tools",
                "delete", FIVE_AM))).as("other method").isFalse();
        assertThat(aliceInS1.selects(decision(RecordType.CALL_DENIED, "alice", 1, "s-1", "com.acme.Tools",
                "search", FIVE_AM))).as("other decision").isFalse();
        assertThat(aliceInS1.selects(decision(RecordType.CALL_ALLOWED, "alice", 1, "s-1", "com.acme.Tools",
                "search", FIVE_AM + 1))).as("later").isFalse();
    }

    @Test
    void severalMethodPatternsMatchAny() {
        RecordFilter either = RecordFilter.builder().method("transfer").method("*Tools#*").build();

        assertThat(either.selects(ALICE_SEARCH)).isTrue();
        assertThat(either.selects(MALLORY_TRANSFER)).isTrue();
        assertThat(either.selects(decision(RecordType.CALL_ALLOWED, "bob", 2, "", "com.acme.Files", "delete",
                FIVE_AM))).isFalse();
    }

    private static boolean method(String pattern, String className, String methodName) {
        return RecordFilter.builder().method(pattern).build()
                .selects(decision(RecordType.CALL_ALLOWED, "alice", 1, "", className, methodName, FIVE_AM));
    }

    private static AuditRecord at(long timeMillis) {
        return decision(RecordType.CALL_ALLOWED, "alice", 1, "", "com.acme.Tools", "search", timeMillis);
    }

    private static AuditRecord genesis(long timeMillis) {
        return decode(new RecordEncoder().genesis(0, timeMillis, Utf8.encode("writer-1"),
                TrailFixture.POLICY_DIGEST, Utf8.encode("policy.yaml")));
    }

    private static AuditRecord decision(RecordType type, String agent, int ring, String session, String className,
            String method, long timeMillis) {
        return decode(new RecordEncoder().decision(type, 1, timeMillis, ring, 2, Utf8.encode(agent),
                Utf8.encode(session), Utf8.encode(className), Utf8.encode(method), Utf8.encode("()V"),
                new ArgumentDigest().digest("arg")));
    }

    @Test
    void sessionRecordsMatchOnTheFieldsTheyHave() {
        AuditRecord joined = session("s-1", SessionEvent.JOINED, "alice", 1);
        AuditRecord created = session("s-1", SessionEvent.CREATED, "", TrailFormat.NO_RING);

        assertThat(RecordFilter.builder().build().selects(joined)).isTrue();
        assertThat(RecordFilter.builder().session("s-1").build().selects(created)).isTrue();
        assertThat(RecordFilter.builder().session("s-2").build().selects(joined)).isFalse();
        assertThat(RecordFilter.builder().agent("alice").build().selects(joined)).isTrue();
        assertThat(RecordFilter.builder().agent("bob").build().selects(joined)).isFalse();
        // An event that names no agent has no agent and no ring to match, not even the empty id.
        assertThat(RecordFilter.builder().agent("").build().selects(created)).isFalse();
        assertThat(RecordFilter.builder().ring(1).build().selects(joined)).isTrue();
        assertThat(RecordFilter.builder().ring(2).build().selects(joined)).isFalse();
        assertThat(RecordFilter.builder().ring(0).ring(1).ring(2).ring(3).build().selects(created)).isFalse();
        // SESSION records have no method, whatever the pattern.
        assertThat(RecordFilter.builder().method("*").build().selects(joined)).isFalse();
        // --decision chooses them by SESSION, and hides them when it names only other types.
        assertThat(RecordFilter.builder().decision(RecordType.SESSION_EVENT).build().selects(created)).isTrue();
        assertThat(RecordFilter.builder().decision(RecordType.SESSION_EVENT).build().selects(at(FIVE_AM)))
                .isFalse();
        assertThat(RecordFilter.builder().decision(RecordType.CALL_ALLOWED).build().selects(joined)).isFalse();
        // They are not calls: nothing follows them.
        assertThat(RecordFilter.builder().build().followsCall(joined)).isFalse();
        // Time bounds apply.
        assertThat(RecordFilter.builder().since(FIVE_AM + 1).build().selects(joined)).isFalse();
    }

    /** An ALLOW of alice in session s-1 of a framework's tool, implemented by {@code com.acme.Tools#search}. */
    private static AuditRecord frameworkCall(String framework, String tool, String invocationId) {
        byte[] none = new byte[0];
        return decode(new RecordEncoder().decision(RecordType.CALL_ALLOWED, 1, FIVE_AM, 1, 2, Utf8.encode("alice"),
                Utf8.encode("s-1"), Utf8.encode("com.acme.Tools"), Utf8.encode("search"), Utf8.encode("()V"),
                new ArgumentDigest().digest("arg"), none, none, Utf8.encode(framework), Utf8.encode(tool),
                Utf8.encode(invocationId)));
    }

    private static AuditRecord session(String sessionId, SessionEvent event, String agent, int ring) {
        return decode(new RecordEncoder().sessionEvent(3, FIVE_AM, Utf8.encode(sessionId), event,
                Utf8.encode(agent), ring, Utf8.encode("")));
    }

    private static AuditRecord outcome(RecordType type, String sessionId, long time) {
        return decode(new RecordEncoder().outcome(type, 2, time, 1, 10L,
                Utf8.encode(type == RecordType.CALL_THREW ? "java.io.IOException" : ""), Utf8.encode(sessionId)));
    }

    private static AuditRecord decode(RecordEncoder encoder) {
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }
}
