package dev.agentmesh.audit.checkpoint;

/**
 * A {@link Checkpoint} signed as a C2SP signed note: the checkpoint body, a blank line, and signature lines
 * {@code — <key name> <base64(4-byte key ID || Ed25519 signature)>}. The signature covers the body's UTF-8 bytes,
 * final newline included.
 *
 * <pre>
 * SignedCheckpoint signed = SignedCheckpoint.sign(Checkpoint.of(origin, size, root, now), signer);
 * Files.writeString(file, signed.text());
 * ...
 * SignedCheckpoint read = SignedCheckpoint.parse(Files.readAllBytes(file));
 * if (!read.verify(trustedKey)) { ... reject ... }
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SignedCheckpoint {

    private final SignedNote note;
    private final Checkpoint checkpoint;

    private SignedCheckpoint(SignedNote note, Checkpoint checkpoint) {
        this.note = note;
        this.checkpoint = checkpoint;
    }

    /**
     * @param checkpoint the checkpoint
     * @param signer the signer; the signed-note key name SHOULD equal the checkpoint's origin (tlog-checkpoint)
     * @return the signed checkpoint
     */
    public static SignedCheckpoint sign(Checkpoint checkpoint, CheckpointSigner signer) {
        return new SignedCheckpoint(SignedNote.sign(checkpoint.body(), signer), checkpoint);
    }

    /**
     * Adds a signature, for example a second key during a key rotation, replacing any by the same key.
     *
     * @param signer the signer
     * @return the checkpoint with this signer's signature last
     */
    public SignedCheckpoint withSignature(CheckpointSigner signer) {
        return new SignedCheckpoint(note.withSignature(signer), checkpoint);
    }

    /**
     * Parses a signed checkpoint from its UTF-8 bytes; nothing is verified yet.
     *
     * @param text the bytes
     * @return the signed checkpoint
     * @throws CheckpointFormatException naming the line at fault
     */
    public static SignedCheckpoint parse(byte[] text) {
        SignedNote note = SignedNote.parse(text);
        return new SignedCheckpoint(note, Checkpoint.parse(note.text()));
    }

    /**
     * Parses a signed checkpoint; nothing is verified yet.
     *
     * @param text the signed note
     * @return the signed checkpoint
     * @throws CheckpointFormatException naming the line at fault
     */
    public static SignedCheckpoint parse(String text) {
        SignedNote note = SignedNote.parse(text);
        return new SignedCheckpoint(note, Checkpoint.parse(note.text()));
    }

    /**
     * @param key the trusted key
     * @return whether a signature by that key (its name and key ID) is present and every such signature verifies;
     *     signatures by other keys are ignored
     */
    public boolean verify(CheckpointVerifierKey key) {
        return verification(key) == Verification.VERIFIED;
    }

    /**
     * @param key the trusted key
     * @return the outcome, which can {@linkplain Verification#describe(CheckpointVerifierKey) describe itself}
     */
    public Verification verification(CheckpointVerifierKey key) {
        return note.verify(key);
    }

    /** @return the checkpoint; trust it only after {@link #verify(CheckpointVerifierKey)} */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** @return the signed note */
    public SignedNote note() {
        return note;
    }

    /** @return the signed note's text: body, blank line, signature lines */
    public String text() {
        return note.encoded();
    }

    /** @return the UTF-8 bytes of {@link #text()} */
    public byte[] toBytes() {
        return note.toBytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedCheckpoint && ((SignedCheckpoint) o).note.equals(note);
    }

    @Override
    public int hashCode() {
        return note.hashCode();
    }

    /** @return the {@link #text()} */
    @Override
    public String toString() {
        return text();
    }
}
