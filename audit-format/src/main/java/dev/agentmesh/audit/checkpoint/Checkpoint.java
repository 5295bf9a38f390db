package dev.agentmesh.audit.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A checkpoint of the audit trail: the tree size, its root hash and the time, under the trail's origin. Its text,
 * the body of a {@link SignedCheckpoint}, follows C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) with one
 * mandatory extension line:
 *
 * <pre>
 * agentmesh.dev/trail/example                     origin
 * 1042                                            tree size: ASCII decimal, no leading zero
 * dWZ+ZghqkCs+nmaoMGxn59HMnstrrM7lrHaSIBqZkPw=    root hash: standard base64 of 32 bytes
 * time 1767225600000                              milliseconds since the epoch (UTC)
 * [further extension lines]
 * </pre>
 *
 * <p>Every line ends in a newline (U+000A). The rules, stricter than tlog-checkpoint where noted:
 * <ul>
 * <li>origin: non-empty, no whitespace, no {@code +}, no control character (tlog-checkpoint requires only the
 *     first and recommends the next two), so that it can double as a signed-note key name;
 * <li>tree size: {@code 0} or a non-zero digit followed by digits, at most {@link Long#MAX_VALUE};
 * <li>root hash: the canonical standard base64 (with padding) of exactly 32 bytes;
 * <li>line 4: {@code time <millis>}, the millis written like the tree size; no other line may start with
 *     {@code time };
 * <li>further extension lines: non-empty, no control character, no leading or trailing whitespace; kept in order
 *     and opaque.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Checkpoint {

    /** The length of a root hash in bytes. */
    public static final int ROOT_HASH_BYTES = 32;
    /** The keyword of the time extension line. */
    public static final String TIME_KEYWORD = "time";
    /** The prefix of AgentMesh trail origins. */
    public static final String ORIGIN_PREFIX = "agentmesh.dev/trail/";

    private static final String TIME_PREFIX = TIME_KEYWORD + " ";

    private final String origin;
    private final long size;
    private final byte[] rootHash;
    private final long timeMillis;
    private final List<String> extensions;
    private final String body;

    private Checkpoint(String origin, long size, byte[] rootHash, long timeMillis, List<String> extensions) {
        this.origin = origin;
        this.size = size;
        this.rootHash = rootHash;
        this.timeMillis = timeMillis;
        this.extensions = extensions;
        StringBuilder b = new StringBuilder().append(origin).append('\n').append(size).append('\n')
                .append(NoteText.base64(rootHash)).append('\n').append(TIME_PREFIX).append(timeMillis).append('\n');
        for (String e : extensions) {
            b.append(e).append('\n');
        }
        this.body = b.toString();
    }

    /**
     * @param origin the trail's origin, e.g. {@link #trailOrigin(String) trailOrigin(writerId)}
     * @param size the tree size, the number of records covered
     * @param rootHash the 32-byte root hash of the tree of that size
     * @param timeMillis when the checkpoint was made, milliseconds since the epoch
     * @return the checkpoint
     * @throws CheckpointFormatException if any part breaks the rules above
     */
    public static Checkpoint of(String origin, long size, byte[] rootHash, long timeMillis) {
        return of(origin, size, rootHash, timeMillis, List.of());
    }

    /**
     * @param origin the trail's origin
     * @param size the tree size
     * @param rootHash the 32-byte root hash
     * @param timeMillis milliseconds since the epoch
     * @param extensions further extension lines, after the time line, without newlines
     * @return the checkpoint
     * @throws CheckpointFormatException if any part breaks the rules above
     */
    public static Checkpoint of(String origin, long size, byte[] rootHash, long timeMillis, List<String> extensions) {
        Objects.requireNonNull(rootHash, "rootHash");
        checkOrigin(origin, "checkpoint origin");
        if (size < 0) {
            throw new CheckpointFormatException("checkpoint tree size: negative (" + size + ")");
        }
        if (rootHash.length != ROOT_HASH_BYTES) {
            throw new CheckpointFormatException("checkpoint root hash: " + rootHash.length + " bytes, expected "
                    + ROOT_HASH_BYTES);
        }
        if (timeMillis < 0) {
            throw new CheckpointFormatException("checkpoint time: negative (" + timeMillis + ")");
        }
        List<String> copy = new ArrayList<>(extensions);
        for (int i = 0; i < copy.size(); i++) {
            String e = Objects.requireNonNull(copy.get(i), "extension line");
            if (e.indexOf('\n') >= 0) {
                throw new CheckpointFormatException("checkpoint extension line " + (i + 1) + ": contains a newline");
            }
            checkExtension(e, "checkpoint extension line " + (i + 1));
        }
        return new Checkpoint(origin, size, rootHash.clone(), timeMillis, Collections.unmodifiableList(copy));
    }

    /**
     * Parses a checkpoint body. Only the text is checked here; trust it only once a signature on it has been
     * verified (see {@link SignedCheckpoint}).
     *
     * @param body the note text, every line ending in a newline
     * @return the checkpoint
     * @throws CheckpointFormatException naming the line at fault
     */
    public static Checkpoint parse(String body) {
        SignedNote.checkCharacters(body, "checkpoint");
        if (body.isEmpty()) {
            throw new CheckpointFormatException("checkpoint: empty");
        }
        if (!body.endsWith("\n")) {
            throw new CheckpointFormatException("checkpoint line " + NoteText.lineOf(body, body.length())
                    + ": does not end with a newline");
        }
        String[] lines = NoteText.lines(body);
        if (lines.length < 4) {
            throw new CheckpointFormatException("checkpoint: " + lines.length + " line" + (lines.length == 1 ? "" : "s")
                    + ", expected at least 4 (origin, tree size, root hash, time)");
        }
        checkOrigin(lines[0], "checkpoint line 1 (origin)");
        long size = NoteText.decimal(lines[1], "checkpoint line 2 (tree size)");
        byte[] root = NoteText.base64(lines[2]);
        if (root == null) {
            throw new CheckpointFormatException("checkpoint line 3 (root hash): " + NoteText.quote(lines[2])
                    + " is not canonical standard base64");
        }
        if (root.length != ROOT_HASH_BYTES) {
            throw new CheckpointFormatException("checkpoint line 3 (root hash): decodes to " + root.length
                    + " bytes, expected " + ROOT_HASH_BYTES);
        }
        if (!lines[3].startsWith(TIME_PREFIX)) {
            throw new CheckpointFormatException("checkpoint line 4: expected 'time <epochMillis>', found "
                    + NoteText.quote(lines[3]));
        }
        long time = NoteText.decimal(lines[3].substring(TIME_PREFIX.length()), "checkpoint line 4 (time)");
        List<String> extensions = new ArrayList<>();
        for (int i = 4; i < lines.length; i++) {
            checkExtension(lines[i], "checkpoint line " + (i + 1) + " (extension)");
            extensions.add(lines[i]);
        }
        return new Checkpoint(lines[0], size, root, time, Collections.unmodifiableList(extensions));
    }

    /**
     * The origin of a writer's checkpoints: {@value #ORIGIN_PREFIX} followed by the writer id, in which every
     * UTF-8 byte other than ASCII letters, digits and {@code - . _ ~} is percent-encoded ({@code %2B} for
     * {@code +}), so that any writer id gives a valid origin.
     *
     * @param writerId the writer id, non-empty
     * @return the origin
     */
    public static String trailOrigin(String writerId) {
        if (writerId.isEmpty()) {
            throw new IllegalArgumentException("writer id: empty");
        }
        StringBuilder b = new StringBuilder(ORIGIN_PREFIX);
        for (byte x : writerId.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private static void checkOrigin(String origin, String where) {
        if (origin == null) {
            throw new CheckpointFormatException(where + ": missing");
        }
        String problem = NoteText.nameProblem(origin);
        if (problem != null) {
            throw new CheckpointFormatException(where + ": " + (origin.isEmpty() ? "" : NoteText.quote(origin) + " ")
                    + problem);
        }
    }

    private static void checkExtension(String line, String where) {
        if (line.isEmpty()) {
            throw new CheckpointFormatException(where + ": empty");
        }
        SignedNote.checkCharacters(line, where, false);
        for (int i = 0; i < line.length(); i++) {
            if (Character.isISOControl(line.charAt(i))) {
                throw new CheckpointFormatException(where + ": control character "
                        + NoteText.codePoint(line.charAt(i)));
            }
        }
        if (NoteText.isSpace(line.codePointAt(0))) {
            throw new CheckpointFormatException(where + ": " + NoteText.quote(line) + " starts with whitespace");
        }
        if (NoteText.isSpace(line.codePointBefore(line.length()))) {
            throw new CheckpointFormatException(where + ": " + NoteText.quote(line) + " ends with whitespace");
        }
        if (line.startsWith(TIME_PREFIX)) {
            throw new CheckpointFormatException(where + ": a second time line; only line 4 may start with 'time '");
        }
    }

    /** @return the origin */
    public String origin() {
        return origin;
    }

    /** @return the tree size: the number of records the root hash covers */
    public long size() {
        return size;
    }

    /** @return a copy of the 32-byte root hash */
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /**
     * @param other another checkpoint
     * @return whether the root hash equals {@code other}'s, in constant time
     */
    public boolean sameRoot(Checkpoint other) {
        return java.security.MessageDigest.isEqual(rootHash, other.rootHash);
    }

    /** @return when the checkpoint was made, milliseconds since the epoch */
    public long timeMillis() {
        return timeMillis;
    }

    /** @return the extension lines after the time line, unmodifiable */
    public List<String> extensions() {
        return extensions;
    }

    /** @return the body: the note text that is signed, every line ending in a newline */
    public String body() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint && ((Checkpoint) o).body.equals(body);
    }

    @Override
    public int hashCode() {
        return body.hashCode();
    }

    /** @return a one-line summary */
    @Override
    public String toString() {
        return "Checkpoint[" + origin + " size " + size + " root " + java.util.HexFormat.of().formatHex(rootHash)
                + " time " + timeMillis + (extensions.isEmpty() ? "" : " +" + extensions.size() + " extensions") + "]";
    }
}
