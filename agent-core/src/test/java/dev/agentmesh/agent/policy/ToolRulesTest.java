package dev.agentmesh.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which {@code tools:} rule decides a tool, most specific first, as {@link ToolRules} documents. */
class ToolRulesTest {

    private static ToolRules rules(int defaultRing, String... keyRing) {
        List<ToolRule> list = new java.util.ArrayList<>();
        for (int i = 0; i < keyRing.length; i += 2) {
            list.add(ToolRule.of(keyRing[i], Integer.parseInt(keyRing[i + 1]), 0));
        }
        return new ToolRules(list, defaultRing, true);
    }

    @Test
    void anExactToolNameWinsOverEveryPatternAndAnnotation() {
        ToolRules r = rules(0, "com.acme.**#*", "3", "@com.acme.Dangerous", "1", "web_search", "2");
        assertThat(r.ringOf("web_search", "com.acme.Tools", "search", Set.of("com.acme.Dangerous"))).isEqualTo(2);
        assertThat(r.ringOf("other", "com.acme.Tools", "search", Set.of("com.acme.Dangerous"))).isEqualTo(3);
    }

    @Test
    void theMethodPatternFixingMostCharactersWinsAndTiesGoToTheFirstListed() {
        ToolRules r = rules(0, "com.acme.**#*", "3", "com.acme.tools.*#drop*", "0", "com.acme.tools.Db#dropAll", "1",
                "com.acme.tools.*#*All", "2");
        assertThat(r.decide(null, "com.acme.tools.Db", "dropAll", Set.of()).key())
                .isEqualTo("com.acme.tools.Db#dropAll");
        assertThat(r.ringOf(null, "com.acme.tools.Db", "dropTable", Set.of())).isZero();
        assertThat(r.ringOf(null, "com.acme.tools.Files", "readAll", Set.of())).isEqualTo(2);
        assertThat(r.ringOf(null, "com.acme.Other", "x", Set.of())).isEqualTo(3);
        // "com.acme.a.*#x" and "com.acme.*.b#x" fix as many characters: the first listed wins.
        ToolRules tie = rules(0, "com.acme.a.*#x", "1", "com.acme.*.b#x", "2");
        assertThat(tie.ringOf(null, "com.acme.a.b", "x", Set.of())).isEqualTo(1);
    }

    @Test
    void oneStarStaysInsideAPackageSegmentAndTwoCrossThem() {
        ToolRules r = rules(3, "com.acme.*#run", "1", "org.**#run", "2");
        assertThat(r.ringOf(null, "com.acme.Tools", "run", Set.of())).isEqualTo(1);
        assertThat(r.ringOf(null, "com.acme.sub.Tools", "run", Set.of())).as("* does not cross a dot").isEqualTo(3);
        assertThat(r.ringOf(null, "org.x.y.Tools", "run", Set.of())).isEqualTo(2);
        assertThat(r.ringOf(null, "com.acme.Tools", "running", Set.of())).isEqualTo(3);
    }

    @Test
    void anAnnotationRuleAppliesWhenNoNameOrPatternDoesAndOtherwiseTheDefault() {
        ToolRules r = rules(0, "@com.acme.Dangerous", "1", "@com.acme.Safe", "3");
        assertThat(r.ringOf(null, "x.Y", "z", Set.of("com.acme.Safe"))).isEqualTo(3);
        assertThat(r.ringOf(null, "x.Y", "z", Set.of("com.acme.Safe", "com.acme.Dangerous")))
                .as("several: the first listed").isEqualTo(1);
        assertThat(r.ringOf(null, "x.Y", "z", Set.of())).isZero();
        assertThat(r.matchesMethods()).isTrue();
        assertThat(rules(0, "web_search", "2").matchesMethods()).isFalse();
    }

    @Test
    void malformedKeysAreRefusedWithWhatAKeyLooksLike() {
        assertThatThrownBy(() -> ToolRule.of("com.acme#", 1, 0)).hasMessageContaining("class#method");
        assertThatThrownBy(() -> ToolRule.of("#run", 1, 0)).hasMessageContaining("class#method");
        assertThatThrownBy(() -> ToolRule.of("a#b#c", 1, 0)).hasMessageContaining("class#method");
        assertThatThrownBy(() -> ToolRule.of("@", 1, 0)).hasMessageContaining("annotation");
        assertThatThrownBy(() -> ToolRule.of("web search", 1, 0)).hasMessageContaining("spaces");
        assertThatThrownBy(() -> ToolRule.of("x", 4, 0)).hasMessageContaining("0 to 3");
        assertThatThrownBy(() -> new ToolRules(List.of(ToolRule.of("a", 1, 0), ToolRule.of("a", 2, 0)), 0, true))
                .hasMessageContaining("two rules");
    }
}
