package dev.agentmesh.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

class PolicyPropertiesTest {

    private static final String FILE = "policy.yaml";

    @Property
    void everyRingFromZeroToThreeRoundTrips(@ForAll @IntRange(min = 0, max = 3) int defaultRing,
            @ForAll @IntRange(min = 0, max = 3) int agentRing,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 20) String id) {
        Policy policy = parse(
                "defaults:\n  ring: " + defaultRing + "\nagents:\n  \"" + id + "\": {ring: " + agentRing + "}\n");

        assertThat(policy.ringOf(id)).isEqualTo(agentRing);
        assertThat(policy.ringOf(id + "-other")).isEqualTo(defaultRing);
    }

    @Property
    void everyOtherIntegerIsRejectedAtItsLine(@ForAll("notRings") int ring) {
        PolicyException e = catchThrowableOfType(PolicyException.class,
                () -> parse("version: 1\nagents:\n  ops-bot: {ring: 1}\n  researcher:\n    ring: " + ring + "\n"));

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.problem()).isEqualTo(
                "ring of agent 'researcher' must be an integer from 0 (system) to 3 (sandboxed), or trust, got "
                        + ring);
    }

    @Provide
    Arbitrary<Integer> notRings() {
        return Arbitraries.oneOf(Arbitraries.integers().lessOrEqual(-1), Arbitraries.integers().greaterOrEqual(4));
    }

    /** Whatever the bytes, the loader gives a policy or a one-line PolicyException, never anything else. */
    @Property(tries = 2000)
    void anyTextLoadsOrFailsWithOneLine(@ForAll("yamlish") String text) {
        PolicyException e = assertLoadsOrFailsCleanly(text.getBytes(StandardCharsets.UTF_8));

        if (e != null) {
            // A mistake is on some line of the text, or just past its end when the text stops short.
            long lineBreaks = text.chars().filter(c -> c == '\n' || c == '\r').count();
            assertThat(e.line()).isLessThanOrEqualTo((int) lineBreaks + 1);
        }
    }

    @Property(tries = 500)
    void anyBytesLoadOrFailWithOneLine(@ForAll byte[] bytes) {
        assertLoadsOrFailsCleanly(bytes);
    }

    @Provide
    Arbitrary<String> yamlish() {
        // Characters that mean something to YAML plus the policy's own words, to reach deep into the reader.
        Arbitrary<String> pieces = Arbitraries.of("version", "defaults", "agents", "ring", "agent", "ops-bot",
                ": ", ":", "\n", "  ", "- ", "{", "}", "[", "]", ", ", "#", "'", "\"", "&a", "*a", "!!int ", "? ",
                "---\n", "...\n", "|\n", "~", "0", "1", "3", "5", "-1", "two", "\t", "\u0001", "\uFEFF", "é");
        return pieces.list().ofMaxSize(30).map(list -> String.join("", list));
    }

    /** @return the exception if the bytes were rejected, {@code null} if they loaded */
    private static PolicyException assertLoadsOrFailsCleanly(byte[] bytes) {
        try {
            Policy policy = PolicyLoader.parse(FILE, bytes);
            assertThat(policy.digest()).isEqualTo(Sha256.of(bytes));
            assertThat(policy.agents().values()).allMatch(Policy::isRing);
            return null;
        } catch (PolicyException e) {
            assertThat(e.getMessage()).doesNotContain("\n", "\r").startsWith(FILE);
            assertThat(e.line()).isNotNegative();
            return e;
        }
    }

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    }
}
