package dev.agentmesh.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static final String SHA256_OF_NOTHING =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void defaultsSandboxEveryone() {
        Policy defaults = Policy.defaults();

        assertThat(defaults.defaultRing()).isEqualTo(3);
        assertThat(defaults.defaultAgent()).isEqualTo("anonymous");
        assertThat(defaults.agents()).isEmpty();
        assertThat(defaults.source()).isEqualTo("<built-in defaults>");
        assertThat(HexFormat.of().formatHex(defaults.digest())).isEqualTo(SHA256_OF_NOTHING);
        assertThat(defaults.ringOf("anyone")).isEqualTo(3);
    }

    @Test
    void anUntouchedBuilderBuildsTheDefaults() {
        assertThat(Policy.builder().build()).isEqualTo(Policy.defaults());
    }

    @Test
    void builderSetsEveryPart() {
        byte[] digest = Sha256.of(new byte[] {1, 2, 3});

        Policy policy = Policy.builder().defaultRing(2).defaultAgent("nobody").agent("b", 1).agent("a", 0)
                .source("p.yaml").digest(digest).build();

        assertThat(policy.defaultRing()).isEqualTo(2);
        assertThat(policy.defaultAgent()).isEqualTo("nobody");
        assertThat(policy.agents()).containsExactly(entry("b", 1), entry("a", 0));
        assertThat(policy.source()).isEqualTo("p.yaml");
        assertThat(policy.digest()).isEqualTo(digest);
        assertThat(policy.ringOf("a")).isZero();
        assertThat(policy.ringOf("c")).isEqualTo(2);
    }

    @Test
    void builderRejectsRingsOutsideZeroToThree() {
        assertThatThrownBy(() -> Policy.builder().defaultRing(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 4");
        assertThatThrownBy(() -> Policy.builder().agent("a", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
    }

    @Test
    void builderRejectsBlankIds() {
        assertThatThrownBy(() -> Policy.builder().agent(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Policy.builder().agent(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Policy.builder().defaultAgent("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderRejectsADuplicateAgent() {
        Policy.Builder builder = Policy.builder().agent("a", 1);

        assertThatThrownBy(() -> builder.agent("a", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate agent 'a'");
        assertThat(builder.build().ringOf("a")).as("the first ring stands").isEqualTo(1);
    }

    @Test
    void builderRejectsADigestThatIsNotSha256Sized() {
        assertThatThrownBy(() -> Policy.builder().digest(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void policyIsNotChangedByItsBuilderOrItsCallers() {
        byte[] digest = Sha256.of(new byte[] {9});
        Policy.Builder builder = Policy.builder().agent("a", 1).digest(digest);
        Policy policy = builder.build();

        builder.agent("b", 2);
        digest[0] ^= 1;
        policy.digest()[0] ^= 1;

        assertThat(policy.agents()).containsOnlyKeys("a");
        assertThat(policy.digest()).isEqualTo(Sha256.of(new byte[] {9}));
        assertThatThrownBy(() -> policy.agents().put("c", 0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equalityCoversEveryPart() {
        Policy one = Policy.builder().agent("a", 1).source("p.yaml").build();

        assertThat(one).isEqualTo(Policy.builder().agent("a", 1).source("p.yaml").build())
                .hasSameHashCodeAs(Policy.builder().agent("a", 1).source("p.yaml").build());
        assertThat(one).isNotEqualTo(Policy.builder().agent("a", 2).source("p.yaml").build())
                .isNotEqualTo(Policy.builder().agent("a", 1).source("q.yaml").build())
                .isNotEqualTo(Policy.builder().agent("a", 1).source("p.yaml").defaultRing(2).build())
                .isNotEqualTo(Policy.builder().agent("a", 1).source("p.yaml").digest(new byte[32]).build());
    }

    @Test
    void toStringShowsSourceRingsAndDigest() {
        String text = Policy.builder().agent("ops-bot", 1).source("p.yaml").build().toString();

        assertThat(text).contains("source=p.yaml", "defaultRing=3", "ops-bot=1", "digest=" + SHA256_OF_NOTHING);
    }

    @Test
    void ringOfDoesNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        Policy policy = Policy.builder().agent("ops-bot", 1).agent("researcher", 2).build();
        // Copies, not the literals the policy holds, so lookups go through equals as they do for ids built at run time.
        String[] ids = {new String("ops-bot"), new String("researcher"), new String("stranger"), null};
        int calls = 1_000_000;

        long before = threads.getCurrentThreadAllocatedBytes();
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += policy.ringOf(ids[i & 3]);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sum).isEqualTo(calls / 4L * (1 + 2 + 3 + 3));
        // A single allocation per call would be at least 16 MB; allow a little for the counter itself.
        assertThat(allocated).isLessThan(4096);
    }
}
