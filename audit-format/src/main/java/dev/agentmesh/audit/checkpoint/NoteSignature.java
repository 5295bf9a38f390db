package dev.agentmesh.audit.checkpoint;

import java.util.Arrays;

/**
 * One signature line of a signed note: {@code — <key name> <base64(4-byte key ID || signature)>}. Holding one says
 * nothing about whether it verifies; see {@link SignedNote#verify(CheckpointVerifierKey)}.
 *
 * <p>Immutable.
 */
public final class NoteSignature {

    /** The signature line's prefix: em dash (U+2014) and a space. */
    public static final String PREFIX = "\u2014 ";

    private final String keyName;
    private final int keyId;
    private final byte[] signature;

    NoteSignature(String keyName, int keyId, byte[] signature) {
        this.keyName = keyName;
        this.keyId = keyId;
        this.signature = signature.clone();
    }

    /** @return the key name on the line */
    public String keyName() {
        return keyName;
    }

    /** @return the 4-byte key ID that opens the decoded signature, big-endian */
    public int keyId() {
        return keyId;
    }

    /** @return {@link #keyId()} as 8 lower-case hex digits */
    public String keyIdHex() {
        return String.format("%08x", keyId);
    }

    /** @return a copy of the signature bytes after the key ID (64 bytes for Ed25519) */
    public byte[] signature() {
        return signature.clone();
    }

    byte[] signatureBytes() {
        return signature;
    }

    /** @return the line, without its newline */
    public String line() {
        byte[] blob = new byte[4 + signature.length];
        blob[0] = (byte) (keyId >>> 24);
        blob[1] = (byte) (keyId >>> 16);
        blob[2] = (byte) (keyId >>> 8);
        blob[3] = (byte) keyId;
        System.arraycopy(signature, 0, blob, 4, signature.length);
        return PREFIX + keyName + " " + NoteText.base64(blob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature && ((NoteSignature) o).keyName.equals(keyName)
                && ((NoteSignature) o).keyId == keyId && Arrays.equals(((NoteSignature) o).signature, signature);
    }

    @Override
    public int hashCode() {
        return (keyName.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
    }

    /** @return the {@link #line()} */
    @Override
    public String toString() {
        return line();
    }
}
