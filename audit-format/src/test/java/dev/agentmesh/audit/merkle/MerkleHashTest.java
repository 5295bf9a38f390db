package dev.agentmesh.audit.merkle;

import static dev.agentmesh.audit.merkle.RfcReference.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MerkleHashTest {

    private final MerkleHash hasher = new MerkleHash();

    @Test
    void theEmptyTreeRootIsSha256OfNothing() {
        assertThat(hex(MerkleHash.emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // and it is not the hash of an empty leaf, which carries the 0x00 prefix
        assertThat(MerkleHash.emptyRoot()).isNotEqualTo(hasher.leafHash(new byte[0]));
    }

    @Test
    void emptyRootHandsOutCopies() {
        byte[] first = MerkleHash.emptyRoot();
        first[0] ^= 1;
        assertThat(MerkleHash.emptyRoot()).isEqualTo(RfcReference.sha256());
    }

    @Test
    void leafAndNodeHashesCarryTheirPrefixes() {
        byte[] data = "tool call".getBytes(StandardCharsets.UTF_8);
        assertThat(hasher.leafHash(data)).isEqualTo(RfcReference.sha256(new byte[] {0}, data));

        byte[] left = RfcReference.sha256("l".getBytes(StandardCharsets.UTF_8));
        byte[] right = RfcReference.sha256("r".getBytes(StandardCharsets.UTF_8));
        assertThat(hasher.nodeHash(left, right)).isEqualTo(RfcReference.sha256(new byte[] {1}, left, right));
        assertThat(hasher.nodeHash(left, right)).isNotEqualTo(hasher.nodeHash(right, left));
    }

    @Test
    void aLeafCannotPassForTheNodeItsBytesSpell() {
        // The second-preimage attack the prefixes stop: 64 bytes that are left || right, hashed as a leaf.
        byte[] left = RfcReference.sha256(new byte[] {1});
        byte[] right = RfcReference.sha256(new byte[] {2});
        byte[] concatenated = new byte[64];
        System.arraycopy(left, 0, concatenated, 0, 32);
        System.arraycopy(right, 0, concatenated, 32, 32);
        assertThat(hasher.leafHash(concatenated)).isNotEqualTo(hasher.nodeHash(left, right));
    }

    @Test
    void offsetFormsReadAndWriteWhereTheyAreTold() {
        byte[] data = "..payload..".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[40];
        hasher.leafHash(data, 2, 7, out, 5);
        assertThat(Arrays.copyOfRange(out, 5, 37)).isEqualTo(hasher.leafHash(Arrays.copyOfRange(data, 2, 9)));
        assertThat(Arrays.copyOfRange(out, 0, 5)).containsOnly(0);
        assertThat(Arrays.copyOfRange(out, 37, 40)).containsOnly(0);

        byte[] left = hasher.leafHash(new byte[] {1});
        byte[] right = hasher.leafHash(new byte[] {2});
        byte[] both = new byte[70];
        System.arraycopy(left, 0, both, 3, 32);
        System.arraycopy(right, 0, both, 35, 32);
        byte[] node = new byte[33];
        hasher.nodeHash(both, 3, both, 35, node, 1);
        assertThat(Arrays.copyOfRange(node, 1, 33)).isEqualTo(hasher.nodeHash(left, right));
    }

    @Test
    void theOutputMayOverwriteAnInput() {
        byte[] left = hasher.leafHash(new byte[] {1});
        byte[] right = hasher.leafHash(new byte[] {2});
        byte[] expected = hasher.nodeHash(left, right);

        byte[] inPlaceLeft = left.clone();
        hasher.nodeHash(inPlaceLeft, 0, right, 0, inPlaceLeft, 0);
        assertThat(inPlaceLeft).isEqualTo(expected);

        byte[] inPlaceRight = right.clone();
        hasher.nodeHash(left, 0, inPlaceRight, 0, inPlaceRight, 0);
        assertThat(inPlaceRight).isEqualTo(expected);
    }

    @Test
    void wrongSizesAndRangesAreRejected() {
        byte[] hash = new byte[32];
        assertThatThrownBy(() -> hasher.nodeHash(new byte[31], hash)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.nodeHash(hash, new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.nodeHash(hash, 1, hash, 0, new byte[32], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.leafHash(new byte[4], 2, 3, new byte[32], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.leafHash(new byte[4], 0, 4, new byte[40], 9))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.leafHash(new byte[4], -1, 1, new byte[32], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
