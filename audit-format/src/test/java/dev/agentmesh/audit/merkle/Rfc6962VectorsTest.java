package dev.agentmesh.audit.merkle;

import static dev.agentmesh.audit.merkle.RfcReference.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 6962 reference vectors that Certificate Transparency and Trillian test against (Trillian's
 * {@code merkle/log_verifier_test.go}, now transparency-dev/merkle): eight leaves and the roots of their trees of
 * sizes 1 to 8, plus the published inclusion and consistency proofs among them. Trillian numbers leaves from 1 in its
 * inclusion table; here indices are 0-based.
 *
 * <p>Every vector is also checked against {@link RfcReference}, so a mistyped constant fails loudly rather than
 * quietly agreeing with a bug.
 */
class Rfc6962VectorsTest {

    static final List<byte[]> LEAF_DATA = List.of(
            hex(""),
            hex("00"),
            hex("10"),
            hex("2021"),
            hex("3031"),
            hex("40414243"),
            hex("5051525354555657"),
            hex("606162636465666768696a6b6c6d6e6f"));

    static final String EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** ROOTS[n - 1] is the root of the tree of the first n leaves. */
    static final List<String> ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    record Inclusion(long index, long size, List<String> proof) {
    }

    record Consistency(long oldSize, long newSize, List<String> proof) {
    }

    static List<Inclusion> inclusionVectors() {
        return List.of(
                new Inclusion(0, 1, List.of()),
                new Inclusion(0, 8, List.of(
                        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
                new Inclusion(5, 8, List.of(
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
                new Inclusion(2, 3, List.of(
                        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
                new Inclusion(1, 5, List.of(
                        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));
    }

    static List<Consistency> consistencyVectors() {
        return List.of(
                new Consistency(1, 1, List.of()),
                new Consistency(1, 8, List.of(
                        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
                new Consistency(6, 8, List.of(
                        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
                new Consistency(2, 5, List.of(
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));
    }

    static List<byte[]> leafHashes() {
        MerkleHash hasher = new MerkleHash();
        List<byte[]> out = new ArrayList<>();
        for (byte[] data : LEAF_DATA) {
            out.add(hasher.leafHash(data));
        }
        return out;
    }

    static byte[] root(long size) {
        return size == 0 ? hex(EMPTY_ROOT) : hex(ROOTS.get((int) size - 1));
    }

    @Test
    void theReferenceAgreesWithThePublishedRoots() {
        List<byte[]> hashes = new ArrayList<>();
        for (byte[] data : LEAF_DATA) {
            hashes.add(RfcReference.leafHash(data));
        }
        assertThat(hex(RfcReference.mth(List.of()))).isEqualTo(EMPTY_ROOT);
        for (int n = 1; n <= 8; n++) {
            assertThat(hex(RfcReference.mth(hashes.subList(0, n)))).as("size %d", n).isEqualTo(ROOTS.get(n - 1));
        }
    }

    @Test
    void theAccumulatorReachesEveryPublishedRoot() {
        MerkleAccumulator acc = new MerkleAccumulator();
        assertThat(hex(acc.root())).isEqualTo(EMPTY_ROOT);
        for (int n = 1; n <= 8; n++) {
            byte[] data = LEAF_DATA.get(n - 1);
            acc.appendData(data, 0, data.length);
            assertThat(acc.size()).isEqualTo(n);
            assertThat(hex(acc.root())).as("size %d", n).isEqualTo(ROOTS.get(n - 1));
        }
    }

    @Test
    void rootOverLeafHashesMatchesEveryPublishedRoot() {
        LeafHashes leaves = LeafHashes.of(leafHashes());
        assertThat(hex(MerkleProofs.root(leaves, 0))).isEqualTo(EMPTY_ROOT);
        for (int n = 1; n <= 8; n++) {
            assertThat(hex(MerkleProofs.root(leaves, n))).as("size %d", n).isEqualTo(ROOTS.get(n - 1));
        }
    }

    @Test
    void theSizeOneRootIsTheHashOfTheEmptyLeaf() {
        // 6e34… = SHA-256(0x00): the first leaf is the empty string, and a one-leaf tree's root is its leaf hash.
        assertThat(hex(new MerkleHash().leafHash(new byte[0]))).isEqualTo(ROOTS.get(0));
        assertThat(hex(new MerkleHash().leafHash(hex("00"))))
                .isEqualTo("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
    }

    @ParameterizedTest
    @MethodSource("inclusionVectors")
    void publishedInclusionProofsAreGeneratedAndVerified(Inclusion v) {
        List<byte[]> hashes = leafHashes();
        List<byte[]> proof = MerkleProofs.inclusionProof(LeafHashes.of(hashes), v.index(), v.size());

        assertThat(hex(proof)).isEqualTo(v.proof());
        assertThat(hex(RfcReference.path((int) v.index(), hashes.subList(0, (int) v.size())))).isEqualTo(v.proof());
        byte[] leaf = hashes.get((int) v.index());
        assertThat(MerkleVerifier.verifyInclusion(leaf, v.index(), v.size(), proof, root(v.size()))).isTrue();
        assertThat(hex(MerkleVerifier.rootFromInclusionProof(leaf, v.index(), v.size(), proof)))
                .isEqualTo(hex(root(v.size())));
    }

    @ParameterizedTest
    @MethodSource("consistencyVectors")
    void publishedConsistencyProofsAreGeneratedAndVerified(Consistency v) {
        List<byte[]> hashes = leafHashes();
        List<byte[]> proof = MerkleProofs.consistencyProof(LeafHashes.of(hashes), v.oldSize(), v.newSize());

        assertThat(hex(proof)).isEqualTo(v.proof());
        if (v.oldSize() < v.newSize()) {
            assertThat(hex(RfcReference.proof((int) v.oldSize(), hashes.subList(0, (int) v.newSize()))))
                    .isEqualTo(v.proof());
        }
        assertThat(MerkleVerifier.verifyConsistency(v.oldSize(), v.newSize(), root(v.oldSize()), root(v.newSize()),
                proof)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("inclusionVectors")
    void publishedInclusionProofsResistTrilliansCorruptions(Inclusion v) {
        byte[] leaf = leafHashes().get((int) v.index());
        List<byte[]> proof = v.proof().stream().map(RfcReference::hex).toList();
        byte[] root = root(v.size());

        for (Probes.Inclusion probe : Probes.corruptInclusion(v.index(), v.size(), proof, root, leaf)) {
            assertThat(probe.verify()).as(probe.description()).isFalse();
        }
    }

    /** Like Trillian, corrupt only the non-trivial proofs; the empty ones are covered in MerkleVerifierTest. */
    static List<Consistency> nonTrivialConsistencyVectors() {
        return consistencyVectors().stream().filter(v -> !v.proof().isEmpty()).toList();
    }

    @ParameterizedTest
    @MethodSource("nonTrivialConsistencyVectors")
    void publishedConsistencyProofsResistTrilliansCorruptions(Consistency v) {
        List<byte[]> proof = v.proof().stream().map(RfcReference::hex).toList();
        for (Probes.Consistency probe :
                Probes.corruptConsistency(v.oldSize(), v.newSize(), root(v.oldSize()), root(v.newSize()), proof)) {
            assertThat(probe.verify()).as(probe.description()).isFalse();
        }
    }
}
