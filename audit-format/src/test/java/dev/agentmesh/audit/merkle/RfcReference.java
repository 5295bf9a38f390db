package dev.agentmesh.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deliberately naive transcription of RFC 6962 §2.1 (MTH), §2.1.1 (PATH) and §2.1.2 (PROOF/SUBPROOF): lists and
 * recursion, a fresh digest per hash, k found by doubling. It shares no code with the package under test, so the two
 * agreeing is evidence, not tautology.
 */
final class RfcReference {

    private static final HexFormat HEX = HexFormat.of();

    private RfcReference() {
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] leafHash(byte[] data) {
        return sha256(new byte[] {0x00}, data);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        return sha256(new byte[] {0x01}, left, right);
    }

    /** The largest power of two smaller than n, for n > 1, found the slow way on purpose. */
    static int k(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    /** MTH over leaf hashes (the leaf hashing already done). */
    static byte[] mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return d.get(0);
        }
        int k = k(n);
        return nodeHash(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    static List<byte[]> path(int m, List<byte[]> d) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = k(n);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(path(m - k, d.subList(k, n)));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]) for 0 < m < n; the RFC leaves other m undefined. */
    static List<byte[]> proof(int m, List<byte[]> d) {
        return subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = k(n);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /**
     * n leaf hashes of random leaf data, reproducible from the seed. Each leaf's data starts with its index, so no two
     * leaves are equal: with duplicates, "another leaf at this index" would rightly verify and the negative
     * properties would be flaky.
     */
    static List<byte[]> randomLeafHashes(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[4 + random.nextInt(37)];
            random.nextBytes(data);
            data[0] = (byte) (i >>> 24);
            data[1] = (byte) (i >>> 16);
            data[2] = (byte) (i >>> 8);
            data[3] = (byte) i;
            out.add(leafHash(data));
        }
        return out;
    }

    static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            out.add(hex(h));
        }
        return out;
    }

    /** A copy of the proof with bit {@code bit} of byte {@code at} of element {@code element} flipped. */
    static List<byte[]> flip(List<byte[]> proof, int element, int at, int bit) {
        List<byte[]> out = new ArrayList<>(proof);
        byte[] victim = proof.get(element).clone();
        victim[at] ^= (byte) (1 << bit);
        out.set(element, victim);
        return out;
    }

    static byte[] flip(byte[] hash, int at, int bit) {
        byte[] out = hash.clone();
        out[at] ^= (byte) (1 << bit);
        return out;
    }
}
