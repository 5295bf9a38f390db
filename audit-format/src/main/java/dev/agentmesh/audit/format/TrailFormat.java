package dev.agentmesh.audit.format;

/**
 * Constants of the trail format. The README's "Audit trail format" section is the normative description; this
 * class and {@link RecordEncoder} are its one implementation.
 *
 * <p>Each queue document holds one record: its canonical bytes followed by its 32-byte chain hash, where
 * {@code hash = SHA-256(previous hash || canonical bytes)} and the first record's previous hash is 32 zero bytes.
 */
public final class TrailFormat {

    /**
     * The format version every record is written with, in its first byte. Each version appended strings to the end
     * of decision records (CALL_ALLOWED, CALL_DENIED); every other layout is as in version 1:
     *
     * <ul>
     *   <li>version 1: decisions end at {@code argsDigest};</li>
     *   <li>version 2 added {@code onBehalfOf} and {@code vouchedBy} (delegation);</li>
     *   <li>version 3 added {@code framework}, {@code tool} and {@code invocationId} (which agent framework's tool
     *       was called, and the framework's id for the call).</li>
     * </ul>
     */
    public static final int VERSION = 3;

    /**
     * The oldest version readers accept. A trail directory may hold an older run's version 1 records followed by
     * a newer run's version 2 and version 3 ones, so the version is read per record; a decision record reads the
     * fields its version lacks as empty.
     */
    public static final int OLDEST_READABLE_VERSION = 1;

    /** Length of a chain hash and of every digest in the format: SHA-256. */
    public static final int HASH_LENGTH = 32;

    /** The hash algorithm, as the JDK names it. */
    public static final String HASH_ALGORITHM = "SHA-256";

    /** Longest string field, in UTF-8 bytes: its length is an unsigned 16-bit number. */
    public static final int MAX_STRING_BYTES = 0xFFFF;

    /** The agent ring byte of a SESSION record that names no agent. Readers report it as {@code -1}. */
    public static final int NO_RING = 0xFF;

    /** Bytes before the type-specific fields: version, type, seq, time. */
    public static final int HEADER_LENGTH = 1 + 1 + 8 + 8;

    private TrailFormat() {
    }

    /** @return a fresh copy of the previous hash of the very first record: 32 zero bytes */
    public static byte[] zeroHash() {
        return new byte[HASH_LENGTH];
    }
}
