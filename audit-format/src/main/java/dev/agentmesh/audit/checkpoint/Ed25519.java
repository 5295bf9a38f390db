package dev.agentmesh.audit.checkpoint;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 through the JDK's own provider (SunEC), and the signed-note key ID. Keys travel as their raw RFC 8032
 * encodings: the 32-byte public key and the 32-byte private seed.
 */
final class Ed25519 {

    static final String ALGORITHM = "Ed25519";
    static final int KEY_BYTES = 32;
    static final int SIGNATURE_BYTES = 64;
    /** The signed-note signature type of Ed25519. */
    static final byte SIGNATURE_TYPE = 0x01;

    /** DER of SubjectPublicKeyInfo {id-Ed25519}, BIT STRING of 32 bytes (RFC 8410), before the key. */
    static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
    /** DER of OneAsymmetricKey v1 {id-Ed25519}, OCTET STRING {OCTET STRING of 32 bytes} (RFC 8410), before the seed. */
    static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    private static final Provider PROVIDER = Security.getProvider("SunEC");

    private Ed25519() {
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    static Signature signature() throws NoSuchAlgorithmException {
        return PROVIDER != null ? Signature.getInstance(ALGORITHM, PROVIDER) : Signature.getInstance(ALGORITHM);
    }

    static KeyFactory keyFactory() throws NoSuchAlgorithmException {
        return PROVIDER != null ? KeyFactory.getInstance(ALGORITHM, PROVIDER) : KeyFactory.getInstance(ALGORITHM);
    }

    static KeyPairGenerator keyPairGenerator() throws NoSuchAlgorithmException {
        return PROVIDER != null ? KeyPairGenerator.getInstance(ALGORITHM, PROVIDER)
                : KeyPairGenerator.getInstance(ALGORITHM);
    }

    /** @return the 32-byte RFC 8032 encoding of an Ed25519 public key, from its X.509 encoding */
    static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || der.length != SPKI_PREFIX.length + KEY_BYTES
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
    }

    /** @return the public key with this 32-byte encoding */
    static PublicKey publicKey(byte[] raw) throws InvalidKeySpecException {
        if (raw.length != KEY_BYTES) {
            throw new InvalidKeySpecException("an Ed25519 public key is 32 bytes, not " + raw.length);
        }
        try {
            return keyFactory().generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /** @return the 32-byte seed of an Ed25519 private key */
    static byte[] seed(PrivateKey key) throws InvalidKeyException {
        if (!(key instanceof EdECPrivateKey)
                || !ALGORITHM.equalsIgnoreCase(((EdECPrivateKey) key).getParams().getName())) {
            throw new InvalidKeyException("not an Ed25519 private key: " + key.getAlgorithm());
        }
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new InvalidKeyException("the private key's bytes are not available"));
        if (seed.length != KEY_BYTES) {
            throw new InvalidKeyException("an Ed25519 private key is 32 bytes, not " + seed.length);
        }
        return seed;
    }

    /**
     * Derives the public key of a seed. The JDK has no API for this, but its key-pair generator draws exactly the
     * seed from the given random source and derives the public key from it (RFC 8032 section 5.1.5); the result is
     * checked, so a generator that behaves otherwise fails loudly instead of yielding a wrong key.
     */
    static KeyPair keyPair(byte[] seed) throws InvalidKeyException {
        if (seed.length != KEY_BYTES) {
            throw new InvalidKeyException("an Ed25519 private key is 32 bytes, not " + seed.length);
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = keyPairGenerator();
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
        byte[] drawn = seed(pair.getPrivate());
        boolean same = Arrays.equals(drawn, seed);
        Arrays.fill(drawn, (byte) 0);
        if (!same) {
            throw new IllegalStateException("cannot derive the Ed25519 public key with provider "
                    + (PROVIDER != null ? PROVIDER.getName() : "default"));
        }
        return pair;
    }

    /** @return a new key pair from the system's strong random source */
    static KeyPair generate() {
        try {
            return keyPairGenerator().generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = signature();
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    /** @return whether {@code signature} is a valid Ed25519 signature of {@code message}; never throws */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature s = signature();
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The signed-note key ID of an Ed25519 key: {@code SHA-256(name || 0x0A || 0x01 || public key)[:4]} as a
     * big-endian integer.
     */
    static int keyId(String name, byte[] rawPublicKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(NoteText.utf8(name));
            sha256.update((byte) '\n');
            sha256.update(SIGNATURE_TYPE);
            sha256.update(rawPublicKey);
            byte[] h = sha256.digest();
            return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A random source that yields one given seed. */
    private static final class FixedSeed extends SecureRandom {

        private static final long serialVersionUID = 1L;

        private final byte[] seed;
        private boolean used;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            if (used || bytes.length != seed.length) {
                throw new IllegalStateException("unexpected draw of " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
            Arrays.fill(seed, (byte) 0);
            used = true;
        }
    }
}
