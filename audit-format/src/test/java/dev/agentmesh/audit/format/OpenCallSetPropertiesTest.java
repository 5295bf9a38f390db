package dev.agentmesh.audit.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link OpenCallSet} answers exactly as a {@code HashSet<Long>} does, through growth and every deletion order. */
class OpenCallSetPropertiesTest {

    @Property(tries = 500)
    void behavesLikeAHashSet(@ForAll("operations") List<Long> ops) {
        OpenCallSet set = new OpenCallSet();
        Set<Long> model = new HashSet<>();
        long next = 0;
        List<Long> added = new ArrayList<>();
        for (long op : ops) {
            if (op >= 0 || added.isEmpty()) {
                // Add a fresh seq, as the verifier does: ALLOW seqs only grow. Gaps make probe runs collide.
                next += 1 + Math.floorMod(op, 7);
                set.add(next);
                model.add(next);
                added.add(next);
            } else {
                // Remove a seq that was added (maybe already removed), or one never added.
                long seq = op % 3 == 0 ? next + 1 : added.get((int) Math.floorMod(op, added.size()));
                assertThat(set.remove(seq)).as("remove %d", seq).isEqualTo(model.remove(seq));
            }
            assertThat(set.size()).isEqualTo(model.size());
        }
        for (long seq : added) {
            assertThat(set.remove(seq)).as("finally remove %d", seq).isEqualTo(model.remove(seq));
        }
        assertThat(set.size()).isZero();
        assertThat(set.remove(-1)).isFalse();
    }

    @Provide
    Arbitrary<List<Long>> operations() {
        return Arbitraries.longs().between(-1000, 1000).list().ofMaxSize(400);
    }
}
