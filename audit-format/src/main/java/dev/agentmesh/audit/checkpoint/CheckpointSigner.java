package dev.agentmesh.audit.checkpoint;

import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Arrays;

/**
 * An Ed25519 private key and the key name it signs under. It knows its {@link #verifierKey() public half}, which
 * the signature line's key ID is computed from; the public key is derived from the private key, so a private key
 * file alone is enough to sign.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows only the public half.
 */
public final class CheckpointSigner {

    private final PrivateKey privateKey;
    private final CheckpointVerifierKey verifierKey;

    private CheckpointSigner(PrivateKey privateKey, CheckpointVerifierKey verifierKey) {
        this.privateKey = privateKey;
        this.verifierKey = verifierKey;
    }

    /**
     * @param name the key name; non-empty, with no whitespace, {@code +} or control character
     * @return a signer with a new key from the system's strong random source
     */
    public static CheckpointSigner generate(String name) {
        KeyPair pair = Ed25519.generate();
        return new CheckpointSigner(pair.getPrivate(), CheckpointVerifierKey.of(name, pair.getPublic()));
    }

    /**
     * @param name the key name; non-empty, with no whitespace, {@code +} or control character
     * @param privateKey an Ed25519 private key whose bytes are available (as for keys of the JDK's provider)
     * @return the signer
     * @throws IllegalArgumentException if the name is invalid or the key is not a usable Ed25519 private key
     */
    public static CheckpointSigner of(String name, PrivateKey privateKey) {
        byte[] seed;
        try {
            seed = Ed25519.seed(privateKey);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            return fromSeed(name, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * @param name the key name; non-empty, with no whitespace, {@code +} or control character
     * @param seed the 32-byte RFC 8032 Ed25519 private key
     * @return the signer
     * @throws IllegalArgumentException if the name is invalid or the seed is not 32 bytes
     */
    public static CheckpointSigner fromSeed(String name, byte[] seed) {
        KeyPair pair;
        try {
            pair = Ed25519.keyPair(seed);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new CheckpointSigner(pair.getPrivate(), CheckpointVerifierKey.of(name, pair.getPublic()));
    }

    /** @return the key name */
    public String name() {
        return verifierKey.name();
    }

    /** @return the public half, which verifiers are given */
    public CheckpointVerifierKey verifierKey() {
        return verifierKey;
    }

    /** @return the signed-note key ID */
    public int keyId() {
        return verifierKey.keyId();
    }

    /** @return the private key */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return the 64-byte Ed25519 signature of {@code message} */
    byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    /** @return the 32-byte seed; the caller wipes it */
    byte[] seed() {
        try {
            return Ed25519.seed(privateKey);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return {@code CheckpointSigner[<vkey>]}; never the private key */
    @Override
    public String toString() {
        return "CheckpointSigner[" + verifierKey.vkey() + "]";
    }
}
