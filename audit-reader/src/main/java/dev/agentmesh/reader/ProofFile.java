package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.CheckpointFormatException;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inclusion-proof file: a C2SP {@code tlog-proof} (c2sp.org/tlog-proof@v1) whose {@code extra} line carries the
 * record itself, so the proof can be checked with nothing but the file and the checkpoint key.
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * extra &lt;base64 of the record's canonical bytes&gt;
 * index &lt;the record's index, which is its seq&gt;
 * &lt;base64 proof hash&gt;      zero to 63 lines, the leaf's sibling first (RFC 6962 §2.1.1)
 *
 * &lt;the signed checkpoint, verbatim&gt;
 * </pre>
 *
 * The leaf hash is {@code SHA-256(0x00 || extra bytes)}. Parsing is strict, so every proof has one spelling, and an
 * error names the line; docs/proof-format.md is the full description.
 *
 * @param index the record's index
 * @param record the record's canonical bytes
 * @param hashes the inclusion proof, 32-byte hashes, lowest first
 * @param checkpoint the signed checkpoint the proof leads to
 */
record ProofFile(long index, byte[] record, List<byte[]> hashes, SignedCheckpoint checkpoint) {

    /** The first line, as C2SP tlog-proof fixes it. */
    static final String HEADER = "c2sp.org/tlog-proof@v1";

    /** The most hashes an inclusion proof can have: one per level of a tree of at most 2^63 - 1 leaves. */
    static final int MAX_HASHES = 63;

    /** The largest proof file: a record of the largest size, base64, with the largest signed note, and room. */
    static final int MAX_BYTES = 4 << 20;

    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]*");
    private static final Pattern NOTE_LINE = Pattern.compile("^(checkpoint|signed note) line (\\d+)");

    ProofFile {
        hashes = List.copyOf(hashes);
    }

    /** @return the record's Merkle leaf hash, {@code SHA-256(0x00 || record)} */
    byte[] leafHash() {
        return new MerkleHash().leafHash(record);
    }

    /** @return the file's text */
    String render() {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder out = new StringBuilder(HEADER).append('\n')
                .append("extra ").append(b64.encodeToString(record)).append('\n')
                .append("index ").append(index).append('\n');
        for (byte[] h : hashes) {
            out.append(b64.encodeToString(h)).append('\n');
        }
        return out.append('\n').append(checkpoint.text()).toString();
    }

    /** A proof file that breaks the format: the 1-based line and the problem. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        Malformed(int line, String problem) {
            super(problem, null, false, false);
            this.line = line;
        }

        /** @return the 1-based line at fault */
        int line() {
            return line;
        }
    }

    /**
     * Parses a proof file.
     *
     * @param bytes the file's bytes
     * @return the proof
     * @throws Malformed naming the line at fault
     */
    static ProofFile parse(byte[] bytes) throws Malformed {
        Lines lines = new Lines(bytes);

        String header = lines.next("the header '" + HEADER + "'");
        if (!header.equals(HEADER)) {
            throw lines.error("expected the header '" + HEADER + "', found " + quote(header));
        }

        String extra = lines.next("the line 'extra <base64 of the record>'");
        if (!extra.startsWith("extra ")) {
            throw lines.error(extra.startsWith("index ")
                    ? "no 'extra' line: an AgentMesh proof carries the record there, as 'extra <base64>'"
                    : "expected 'extra <base64 of the record>', found " + quote(extra));
        }
        byte[] record = base64(lines, extra.substring("extra ".length()), "the record");
        int maxRecord = TrailQueue.MAX_STORED_LENGTH - TrailFormat.HASH_LENGTH;
        if (record.length < TrailFormat.HEADER_LENGTH || record.length > maxRecord) {
            throw lines.error("the record is " + record.length + " bytes; a record has "
                    + TrailFormat.HEADER_LENGTH + " to " + maxRecord);
        }

        String indexLine = lines.next("the line 'index <n>'");
        if (!indexLine.startsWith("index ")) {
            throw lines.error("expected 'index <n>', found " + quote(indexLine));
        }
        String digits = indexLine.substring("index ".length());
        long index;
        try {
            if (!INDEX.matcher(digits).matches()) {
                throw new NumberFormatException();
            }
            index = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw lines.error("the index " + quote(digits) + " is not a decimal number from 0 to " + Long.MAX_VALUE
                    + " without leading zeros");
        }

        List<byte[]> hashes = new ArrayList<>();
        while (true) {
            String line = lines.next("the empty line before the checkpoint");
            if (line.isEmpty()) {
                break;
            }
            if (hashes.size() == MAX_HASHES) {
                throw lines.error("more than " + MAX_HASHES + " proof hashes; no tree needs more");
            }
            byte[] hash = base64(lines, line, "a proof hash");
            if (hash.length != MerkleHash.HASH_LENGTH) {
                throw lines.error("a proof hash decodes to " + hash.length + " bytes, not "
                        + MerkleHash.HASH_LENGTH);
            }
            hashes.add(hash);
        }

        int noteLine = lines.number() + 1;
        if (lines.rest() == 0) {
            throw new Malformed(noteLine, "the file ends where the signed checkpoint should begin");
        }
        SignedCheckpoint checkpoint;
        try {
            checkpoint = SignedCheckpoint.parse(lines.remainder());
        } catch (CheckpointFormatException e) {
            // Its messages count lines within the note; name the line of the file.
            Matcher m = NOTE_LINE.matcher(e.getMessage());
            int at = m.find() ? noteLine + Integer.parseInt(m.group(2)) - 1 : noteLine;
            throw new Malformed(at, "the signed checkpoint is malformed: " + e.getMessage());
        }
        return new ProofFile(index, record, hashes, checkpoint);
    }

    private static byte[] base64(Lines lines, String text, String what) throws Malformed {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw lines.error(what + " is not base64: " + e.getMessage());
        }
        // One spelling only: a flipped padding bit or a missing '=' would otherwise pass.
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw lines.error(what + " is not canonical base64 (RFC 4648 §4, with padding, no spare bits)");
        }
        return bytes;
    }

    private static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return "'" + TextFormat.safe(shown) + "'";
    }

    /** The proof's lines before the checkpoint: ASCII, each ending in a single LF. */
    private static final class Lines {
        private final byte[] bytes;
        private int pos;
        private int number;

        Lines(byte[] bytes) {
            this.bytes = bytes;
        }

        /** @return the next line without its LF */
        String next(String expected) throws Malformed {
            number++;
            if (pos == bytes.length) {
                throw error("the file ends here; expected " + expected);
            }
            int start = pos;
            while (pos < bytes.length && bytes[pos] != '\n') {
                byte b = bytes[pos];
                if (b == '\r') {
                    throw error("a carriage return: lines end in LF alone (was the file converted to CRLF?)");
                }
                if (b < 0x20 || b > 0x7e) {
                    throw error("byte 0x" + String.format("%02x", b & 0xff) + " at column " + (pos - start + 1)
                            + ": this part of a proof is printable ASCII");
                }
                pos++;
            }
            if (pos == bytes.length) {
                throw error("the line does not end with a newline");
            }
            String line = new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
            pos++;
            return line;
        }

        /** @return the line last read, 1-based */
        int number() {
            return number;
        }

        int rest() {
            return bytes.length - pos;
        }

        byte[] remainder() {
            byte[] rest = new byte[bytes.length - pos];
            System.arraycopy(bytes, pos, rest, 0, rest.length);
            return rest;
        }

        Malformed error(String problem) {
            return new Malformed(number, problem);
        }
    }
}
