package dev.agentmesh.audit.checkpoint;

import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;

/**
 * An Ed25519 public key and the key name it signs under: what a verifier trusts.
 *
 * <p>Its text form is the signed-note verifier key ("vkey") that Go's {@code golang.org/x/mod/sumdb/note} and the
 * C2SP tooling use: {@code <name>+<key ID as 8 lower-case hex digits>+<base64(0x01 || 32-byte public key)>}, for
 * example {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckpointVerifierKey {

    private final String name;
    private final byte[] raw;
    private final PublicKey publicKey;
    private final int keyId;

    private CheckpointVerifierKey(String name, byte[] raw, PublicKey publicKey) {
        this.name = name;
        this.raw = raw;
        this.publicKey = publicKey;
        this.keyId = Ed25519.keyId(name, raw);
    }

    /**
     * @param name the key name; non-empty, with no whitespace, {@code +} or control character
     * @param publicKey an Ed25519 public key
     * @return the verifier key
     * @throws IllegalArgumentException if the name is invalid or the key is not Ed25519
     */
    public static CheckpointVerifierKey of(String name, PublicKey publicKey) {
        checkName(name);
        byte[] raw = Ed25519.rawPublicKey(publicKey);
        return new CheckpointVerifierKey(name, raw, publicKey);
    }

    /**
     * @param name the key name; non-empty, with no whitespace, {@code +} or control character
     * @param rawPublicKey the 32-byte RFC 8032 encoding of an Ed25519 public key
     * @return the verifier key
     * @throws IllegalArgumentException if the name is invalid or the key is not 32 bytes
     */
    public static CheckpointVerifierKey fromRaw(String name, byte[] rawPublicKey) {
        checkName(name);
        try {
            return new CheckpointVerifierKey(name, rawPublicKey.clone(), Ed25519.publicKey(rawPublicKey));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a signed-note verifier key.
     *
     * @param vkey {@code <name>+<8 hex digits>+<base64(0x01 || public key)>}
     * @return the verifier key
     * @throws CheckpointFormatException naming the part at fault, including a key ID that does not match the key
     */
    public static CheckpointVerifierKey parse(String vkey) {
        int first = vkey.indexOf('+');
        int second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
        if (second < 0) {
            throw new CheckpointFormatException("verifier key: expected <name>+<key ID>+<base64 key>, found "
                    + NoteText.quote(vkey));
        }
        String name = vkey.substring(0, first);
        String idHex = vkey.substring(first + 1, second);
        String key64 = vkey.substring(second + 1);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new CheckpointFormatException("verifier key: key name " + NoteText.quote(name) + " " + problem);
        }
        if (!idHex.matches("[0-9a-f]{8}")) {
            throw new CheckpointFormatException("verifier key: key ID " + NoteText.quote(idHex)
                    + " is not 8 lower-case hex digits");
        }
        byte[] typeAndKey = NoteText.base64(key64);
        if (typeAndKey == null) {
            throw new CheckpointFormatException("verifier key: key " + NoteText.quote(key64)
                    + " is not canonical standard base64");
        }
        if (typeAndKey.length == 0) {
            throw new CheckpointFormatException("verifier key: no key after the key ID");
        }
        if (typeAndKey[0] != Ed25519.SIGNATURE_TYPE) {
            throw new CheckpointFormatException("verifier key: signature type "
                    + String.format("0x%02x", typeAndKey[0] & 0xFF) + " is not supported; only Ed25519 (0x01) is");
        }
        if (typeAndKey.length != 1 + Ed25519.KEY_BYTES) {
            throw new CheckpointFormatException("verifier key: Ed25519 key is " + (typeAndKey.length - 1)
                    + " bytes, expected 32");
        }
        CheckpointVerifierKey key;
        try {
            key = fromRaw(name, Arrays.copyOfRange(typeAndKey, 1, typeAndKey.length));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("verifier key: " + e.getMessage());
        }
        if (!key.keyIdHex().equals(idHex)) {
            throw new CheckpointFormatException("verifier key: key ID " + idHex + " does not match the key (expected "
                    + key.keyIdHex() + ")");
        }
        return key;
    }

    private static void checkName(String name) {
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("key name " + NoteText.quote(String.valueOf(name)) + " " + problem);
        }
    }

    /** @return the key name */
    public String name() {
        return name;
    }

    /** @return the signed-note key ID: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || key), big-endian */
    public int keyId() {
        return keyId;
    }

    /** @return {@link #keyId()} as 8 lower-case hex digits */
    public String keyIdHex() {
        return String.format("%08x", keyId);
    }

    /** @return the Ed25519 public key */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** @return a copy of the 32-byte RFC 8032 encoding of the public key */
    public byte[] rawPublicKey() {
        return raw.clone();
    }

    /** @return the signed-note verifier key text, {@code <name>+<key ID>+<base64(0x01 || key)>} */
    public String vkey() {
        byte[] typeAndKey = new byte[1 + raw.length];
        typeAndKey[0] = Ed25519.SIGNATURE_TYPE;
        System.arraycopy(raw, 0, typeAndKey, 1, raw.length);
        return name + "+" + keyIdHex() + "+" + NoteText.base64(typeAndKey);
    }

    /** @return whether this key's name and ID are the ones on a signature line */
    boolean matches(NoteSignature signature) {
        return signature.keyId() == keyId && signature.keyName().equals(name);
    }

    /** @return whether {@code signature} is this key's valid Ed25519 signature of {@code message} */
    boolean verifies(byte[] message, byte[] signature) {
        return Ed25519.verify(publicKey, message, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointVerifierKey && ((CheckpointVerifierKey) o).name.equals(name)
                && Arrays.equals(((CheckpointVerifierKey) o).raw, raw);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(raw);
    }

    /** @return the {@link #vkey()} */
    @Override
    public String toString() {
        return vkey();
    }
}
