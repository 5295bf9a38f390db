package dev.agentmesh.audit.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or more signature
 * lines {@code — <key name> <base64(4-byte key ID || signature)>}. Only Ed25519 (signature type 0x01) is
 * verified; lines by other keys or of other types are kept and ignored.
 *
 * <p>Parsing is strict: besides the rules of the specification (valid UTF-8, no control character other than
 * newline, the text separated from the signatures by the last blank line, valid key names), base64 must be
 * canonical, so each signature has exactly one spelling, and a note may carry at most {@value #MAX_SIGNATURES}
 * signatures and {@code 1 MiB}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SignedNote {

    /** The most signature lines a note may carry; the specification requires accepting at least 16. */
    public static final int MAX_SIGNATURES = 100;

    private final String text;
    private final List<NoteSignature> signatures;

    private SignedNote(String text, List<NoteSignature> signatures) {
        this.text = text;
        this.signatures = Collections.unmodifiableList(signatures);
    }

    /**
     * Signs a text.
     *
     * @param text the note text: non-empty, ending in a newline, with no control character other than newline
     * @param signer the signer
     * @return the note with one signature
     * @throws CheckpointFormatException if the text cannot be a note text
     */
    public static SignedNote sign(String text, CheckpointSigner signer) {
        checkText(text);
        return new SignedNote(text, new ArrayList<>()).withSignature(signer);
    }

    /**
     * Adds a signature, replacing any line with the same key name and key ID. Ed25519 is deterministic, so
     * signing twice with one key yields the same note.
     *
     * @param signer the signer
     * @return a note with this signer's signature last
     * @throws CheckpointFormatException if the note would carry more than {@value #MAX_SIGNATURES} signatures
     */
    public SignedNote withSignature(CheckpointSigner signer) {
        List<NoteSignature> all = new ArrayList<>();
        for (NoteSignature s : signatures) {
            if (!signer.verifierKey().matches(s)) {
                all.add(s);
            }
        }
        if (all.size() == MAX_SIGNATURES) {
            throw new CheckpointFormatException("signed note: would carry more than " + MAX_SIGNATURES
                    + " signatures");
        }
        all.add(new NoteSignature(signer.name(), signer.keyId(), signer.sign(NoteText.utf8(text))));
        return new SignedNote(text, all);
    }

    /**
     * Parses a signed note from its UTF-8 bytes.
     *
     * @param note the bytes
     * @return the note, whose signatures are not yet verified
     * @throws CheckpointFormatException naming the line at fault
     */
    public static SignedNote parse(byte[] note) {
        if (note.length > NoteText.MAX_NOTE_BYTES) {
            throw new CheckpointFormatException("signed note: " + note.length + " bytes, more than the limit of "
                    + NoteText.MAX_NOTE_BYTES);
        }
        return parse(NoteText.utf8(note, "signed note"));
    }

    /**
     * Parses a signed note.
     *
     * @param note the text
     * @return the note, whose signatures are not yet verified
     * @throws CheckpointFormatException naming the line at fault
     */
    public static SignedNote parse(String note) {
        if (note.length() > NoteText.MAX_NOTE_BYTES) {
            throw new CheckpointFormatException("signed note: longer than the limit of " + NoteText.MAX_NOTE_BYTES
                    + " bytes");
        }
        checkCharacters(note, "signed note");
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new CheckpointFormatException(
                    "signed note: no blank line separating the text from the signature lines");
        }
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        int line = NoteText.lineOf(note, split + 2);
        if (block.isEmpty()) {
            throw new CheckpointFormatException("signed note line " + line
                    + ": no signature line after the blank line");
        }
        if (!block.endsWith("\n")) {
            int last = line + NoteText.lineOf(block, block.length()) - 1;
            throw new CheckpointFormatException("signed note line " + last
                    + ": the last signature line does not end with a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        for (String l : NoteText.lines(block)) {
            if (signatures.size() == MAX_SIGNATURES) {
                throw new CheckpointFormatException("signed note: more than " + MAX_SIGNATURES + " signatures");
            }
            signatures.add(signatureLine(l, "signed note line " + line));
            line++;
        }
        return new SignedNote(text, signatures);
    }

    private static NoteSignature signatureLine(String line, String where) {
        if (!line.startsWith(NoteSignature.PREFIX)) {
            throw new CheckpointFormatException(where + ": " + NoteText.quote(line)
                    + " does not start with an em dash (U+2014) and a space");
        }
        String rest = line.substring(NoteSignature.PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new CheckpointFormatException(where + ": no space between the key name and the signature");
        }
        String name = rest.substring(0, space);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new CheckpointFormatException(where + ": key name " + NoteText.quote(name) + " " + problem);
        }
        String b64 = rest.substring(space + 1);
        byte[] blob = NoteText.base64(b64);
        if (blob == null) {
            throw new CheckpointFormatException(where + ": signature " + NoteText.quote(b64)
                    + " is not canonical standard base64");
        }
        if (blob.length < 5) {
            throw new CheckpointFormatException(where + ": signature decodes to " + blob.length
                    + " bytes, fewer than a 4-byte key ID and a signature");
        }
        int keyId = ((blob[0] & 0xFF) << 24) | ((blob[1] & 0xFF) << 16) | ((blob[2] & 0xFF) << 8) | (blob[3] & 0xFF);
        return new NoteSignature(name, keyId, java.util.Arrays.copyOfRange(blob, 4, blob.length));
    }

    static void checkText(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new CheckpointFormatException("note text: "
                    + (text.isEmpty() ? "empty" : "does not end with a newline"));
        }
        checkCharacters(text, "note text");
    }

    /** Valid UTF-8 (no unpaired surrogate) and no control character other than newline; errors name the line. */
    static void checkCharacters(String s, String what) {
        checkCharacters(s, what, true);
    }

    /**
     * Valid UTF-8 (no unpaired surrogate) and no control character other than newline.
     *
     * @param what the start of the error message
     * @param lines whether the error message names the line
     */
    static void checkCharacters(String s, String what, boolean lines) {
        int line = 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c < 0x20) {
                throw new CheckpointFormatException((lines ? what + " line " + line : what)
                        + ": control character " + NoteText.codePoint(c));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new CheckpointFormatException((lines ? what + " line " + line : what)
                        + ": unpaired surrogate " + NoteText.codePoint(c) + " (not valid UTF-8)");
            }
        }
    }

    /** @return the note text, ending in its newline, without the blank line */
    public String text() {
        return text;
    }

    /** @return the signature lines in order, unverified */
    public List<NoteSignature> signatures() {
        return signatures;
    }

    /**
     * Checks the note against one trusted key. Signatures whose key name and key ID are not both this key's are
     * ignored; every signature that names this key must verify.
     *
     * @param key the trusted key
     * @return the outcome
     */
    public Verification verify(CheckpointVerifierKey key) {
        byte[] message = NoteText.utf8(text);
        boolean found = false;
        for (NoteSignature s : signatures) {
            if (key.matches(s)) {
                if (!key.verifies(message, s.signatureBytes())) {
                    return Verification.INVALID_SIGNATURE;
                }
                found = true;
            }
        }
        return found ? Verification.VERIFIED : Verification.NO_SIGNATURE_BY_KEY;
    }

    /** @return the note: text, blank line, signature lines, each ending in a newline */
    public String encoded() {
        StringBuilder b = new StringBuilder(text).append('\n');
        for (NoteSignature s : signatures) {
            b.append(s.line()).append('\n');
        }
        return b.toString();
    }

    /** @return the UTF-8 bytes of {@link #encoded()} */
    public byte[] toBytes() {
        return NoteText.utf8(encoded());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedNote && ((SignedNote) o).text.equals(text)
                && ((SignedNote) o).signatures.equals(signatures);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + signatures.hashCode();
    }

    /** @return the {@link #encoded()} note */
    @Override
    public String toString() {
        return encoded();
    }
}
