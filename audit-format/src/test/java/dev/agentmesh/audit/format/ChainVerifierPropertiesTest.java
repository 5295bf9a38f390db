package dev.agentmesh.audit.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of {@link ChainVerifier} over arbitrary trails and arbitrary damage. */
class ChainVerifierPropertiesTest {

    @Property(tries = 1000)
    void aFlippedByteAnywhereIsNamedAtItsRecord(@ForAll @IntRange(min = 1, max = 12) int n,
            @ForAll @IntRange(min = 0, max = 11) int kRaw, @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        int k = kRaw % n;
        List<byte[]> stored = Trails.store(Trails.canonicalTrail(n));
        byte[] victim = stored.get(k);
        int pos = position % victim.length; // any byte of the stored record, canonical bytes or hash
        victim[pos] ^= (byte) mask;

        Trails.Run run = Trails.verify(stored);

        assertThat(run.failure).as("flip at byte %d of record %d", pos, k).isNotNull();
        assertThat(run.failure.index()).isEqualTo(k);
        assertThat(run.verifier.count()).isEqualTo(k);
        assertThat(run.accepted).hasSize(k);
    }

    @Property(tries = 200)
    void validTrailsOfAnyLengthVerify(@ForAll @IntRange(min = 0, max = 300) int n) {
        List<byte[]> stored = Trails.store(Trails.canonicalTrail(n));
        Trails.Run run = Trails.verify(stored);
        assertThat(run.failure).isNull();
        assertThat(run.verifier.count()).isEqualTo(n);
        assertThat(run.verifier.headHash()).isEqualTo(Trails.head(stored));
    }

    @Property(tries = 300)
    void anyPermutationOfARecomputedChainBreaksAtTheFirstMovedRecord(@ForAll @IntRange(min = 2, max = 12) int n,
            @ForAll @IntRange(min = 0, max = 11) int iRaw, @ForAll @IntRange(min = 1, max = 11) int offset) {
        int i = iRaw % n;
        int j = (i + 1 + offset % (n - 1)) % n; // any position other than i
        List<byte[]> canonical = new ArrayList<>(Trails.canonicalTrail(n));
        Collections.swap(canonical, i, j);
        // even with a recomputed, internally consistent chain the seqs give it away
        Trails.Run run = Trails.verify(Trails.store(canonical));
        assertThat(run.failure).isNotNull();
        assertThat(run.failure.index()).isEqualTo(Math.min(i, j));
    }

    @Property(tries = 300)
    void anyDroppedRecordBreaksAtItsPosition(@ForAll @IntRange(min = 2, max = 12) int n,
            @ForAll @IntRange(min = 0, max = 10) int droppedRaw, @ForAll boolean recompute) {
        int dropped = droppedRaw % (n - 1); // dropping the last record leaves a valid, shorter trail
        List<byte[]> stored;
        if (recompute) {
            List<byte[]> canonical = new ArrayList<>(Trails.canonicalTrail(n));
            canonical.remove(dropped);
            stored = Trails.store(canonical);
        } else {
            stored = new ArrayList<>(Trails.store(Trails.canonicalTrail(n)));
            stored.remove(dropped);
        }
        Trails.Run run = Trails.verify(stored);
        assertThat(run.failure).isNotNull();
        assertThat(run.failure.index()).isEqualTo(dropped);
    }

    @Property(tries = 200)
    void anyTruncationIsNamedAtItsRecord(@ForAll @IntRange(min = 1, max = 10) int n,
            @ForAll @IntRange(min = 0, max = 9) int kRaw, @ForAll @IntRange(min = 1, max = 100_000) int cut) {
        int k = kRaw % n;
        List<byte[]> stored = Trails.store(Trails.canonicalTrail(n));
        byte[] s = stored.get(k);
        int newLength = s.length - 1 - (cut % s.length); // 0 .. length-1
        stored.set(k, java.util.Arrays.copyOf(s, newLength));
        Trails.Run run = Trails.verify(stored);
        assertThat(run.failure).isNotNull();
        assertThat(run.failure.index()).isEqualTo(k);
    }
}
