package dev.agentmesh.agent.liability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.policy.DeclaredVouch;
import dev.agentmesh.agent.policy.LiabilityPolicy;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.api.TrustStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The documented trust formula and slash cascade, checked on the ledger itself for random scores and vouch graphs
 * (cycles included): {@code effective = min(1000, own + Σ floor(share × voucher's own))}, the ring is the most
 * privileged whose threshold that reaches, and a cascade takes at most a bond, at most {@code ceil(loss × share)},
 * from each voucher, no agent twice, never deeper than its depth.
 */
class TrustFormulaTest {

    private static final List<String> AGENTS = List.of("a", "b", "c", "d", "e");

    @Property(tries = 40)
    void effectiveTrustIsOwnPlusBondsAndTheRingFollowsTheThresholds(
            @ForAll @IntRange(min = 0, max = 1000) int ownA, @ForAll @IntRange(min = 0, max = 1000) int ownB,
            @ForAll @IntRange(min = 0, max = 1000) int ownC, @ForAll @DoubleRange(min = 0.01, max = 1) double shareB,
            @ForAll @DoubleRange(min = 0.01, max = 1) double shareC) throws IOException {
        Policy policy = Policy.builder().agentFromTrust("a").agentTrust("a", ownA).agentTrust("b", ownB)
                .agentTrust("c", ownC).liability(LiabilityPolicy.builder().ringThreshold(1, 800)
                        .ringThreshold(2, 500).vouch(new DeclaredVouch("b", "a", shareB))
                        .vouch(new DeclaredVouch("c", "a", shareC)).build()).build();
        withLedger(policy, ledger -> {
            TrustStatus a = ledger.status("a", 3);
            int expected = (int) Math.min(1000, ownA + (long) Math.floor(shareB * ownB) + (long) Math.floor(shareC
                    * ownC));
            assertThat(a.effectiveTrust()).isEqualTo(expected);
            assertThat(a.ring()).isEqualTo(expected >= 800 ? 1 : expected >= 500 ? 2 : 3);
            assertThat(ledger.find("a").ring()).isEqualTo(a.ring()); // what a governed call reads
            return null;
        });
    }

    @Property(tries = 60)
    void aCascadeIsBoundedAndTakesNoMoreThanTheBonds(@ForAll("vouchGraphs") List<DeclaredVouch> vouches,
            @ForAll @IntRange(min = 0, max = 1000) int points, @ForAll @IntRange(min = 0, max = 5) int depth,
            @ForAll @DoubleRange(min = 0, max = 1) double cascade) throws IOException {
        LiabilityPolicy.Builder liability = LiabilityPolicy.builder().cascade(cascade, depth).initialTrust(700);
        Map<String, Double> staked = new HashMap<>();
        for (DeclaredVouch v : vouches) {
            if (staked.merge(v.voucher(), v.share(), Double::sum) <= 1.0) {
                liability.vouch(v);
            }
        }
        Policy policy = Policy.builder().liability(liability.build()).build();
        withLedger(policy, ledger -> {
            Map<String, TrustStatus> before = new HashMap<>();
            for (String id : AGENTS) {
                before.put(id, ledger.status(id, 3));
            }
            List<TrustLedger.Slash> slashes = ledger.slash("a", points, "test");
            Set<String> seen = new HashSet<>();
            Map<String, Integer> lossOf = new HashMap<>();
            for (TrustLedger.Slash s : slashes) {
                assertThat(seen.add(s.agentId())).as("slashed twice: %s", s.agentId()).isTrue();
                assertThat(s.level()).isBetween(0, depth);
                assertThat(s.after()).isEqualTo(s.before() - s.points()).isGreaterThanOrEqualTo(0);
                assertThat(s.offenderId()).isEqualTo("a");
                String[] chain = s.chain().split("<");
                assertThat(chain).hasSize(s.level() + 1);
                assertThat(chain[0]).isEqualTo("a");
                assertThat(chain[chain.length - 1]).isEqualTo(s.agentId());
                if (s.level() == 0) {
                    assertThat(s.points()).isEqualTo(Math.min(points, before.get("a").ownTrust()));
                } else {
                    String below = chain[chain.length - 2];
                    int bond = before.get(below).backedBy().stream().filter(v -> v.voucherId().equals(s.agentId()))
                            .findFirst().orElseThrow().bond();
                    assertThat(s.points()).isLessThanOrEqualTo(bond)
                            .isLessThanOrEqualTo((int) Math.ceil(lossOf.get(below) * cascade));
                }
                lossOf.put(s.agentId(), s.points());
            }
            return null;
        });
    }

    @Provide
    Arbitrary<List<DeclaredVouch>> vouchGraphs() {
        Arbitrary<String> agent = Arbitraries.of(AGENTS);
        Arbitrary<DeclaredVouch> vouch = Combinators.combine(agent, agent, Arbitraries.doubles().between(0.05, 0.6))
                .filter((voucher, vouchee, share) -> !voucher.equals(vouchee))
                .as(DeclaredVouch::new);
        return vouch.list().ofMaxSize(10).uniqueElements(v -> v.voucher() + ">" + v.vouchee());
    }

    private static void withLedger(Policy policy, Function<TrustLedger, Void> test) throws IOException {
        Path dir = Files.createTempDirectory("trust");
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo("w", new byte[32], "p.yaml"), 10_000);
        try {
            trail.open();
            test.apply(new TrustLedger(policy, trail));
        } finally {
            trail.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
