package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.NoteSignature;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.MalformedRecordException;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.merkle.MerkleHash;
import dev.agentmesh.audit.merkle.MerkleVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * A proof file damaged in any way: cut at any length, extended with any bytes, its length fields (the record's
 * base64, the string lengths inside the record, the index, the number of proof hashes, the checkpoint's tree size)
 * or any of its bytes changed. {@code verify-proof} always ends with exactly one line, the verdict on stdout
 * ({@code TAMPERED}, exit 1; {@code SIGNATURE}, exit 3) or {@code not a proof: <file>:<line>: ...} on stderr (exit 4),
 * never a stack trace, never a failure of the reader itself ({@code error: ...}), never a hang.
 *
 * <p>It never passes a damaged proof unless the damage is provably irrelevant, which each try checks by parsing the
 * damaged file: what {@code verify-proof} relies on must be what the intact proof holds. With {@code --pubkey} that
 * is the record, the index, the proof hashes, the signed checkpoint body and the key's own signature, so only a
 * signature line by another key may be added or changed (a signed note may carry signatures by keys the verifier
 * does not know, and ignores them), or the key's own line repeated (the same signature again). Without
 * {@code --pubkey} nothing vouches for the checkpoint, and the OK line says its signature was not checked: the record
 * is proved against the checkpoint's root, and the origin, time, extension lines and signature lines are irrelevant;
 * so is the tree size, as far as other sizes share the proof's path
 * ({@link #anUnsignedTreeSizeIsBoundOnlyByTheShapeOfThePath}).
 */
class ProofDamagePropertiesTest {

    /** Each run is in-process and takes milliseconds; a hang shows as this, with the damage that caused it. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static Path base;
    private static Path pubkey;
    private static CheckpointVerifierKey key;
    private static CheckpointSigner signer;
    /** Proofs of a GENESIS, an ALLOW, a RETURNED, and the last record (an ALLOW), of a trail of 30. */
    private static final List<byte[]> proofs = new ArrayList<>();

    @BeforeContainer
    static void proveSomeRecords() throws Exception {
        base = Files.createTempDirectory("agentmesh-proof-damage");
        Path dir = base.resolve("trail");
        TrailFixture.standard(dir, 30).close();
        signer = KeyFiles.generate(base.resolve("k.pem"), base.resolve("k.pub.pem"), "ops");
        pubkey = base.resolve("k.pub.pem");
        key = signer.verifierKey();
        ProofSupport.writeCheckpoint(dir.resolve(VerifyCommand.CHECKPOINT_FILE), 30, ProofSupport.rootOf(dir, 30),
                signer);
        for (long seq : new long[] {0, 13, 28, 29}) {
            Path out = base.resolve("record-" + seq + ".tlog-proof");
            Cli.Result r = Cli.run("prove", dir.toString(), "--seq", Long.toString(seq), "--out", out.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
            proofs.add(Files.readAllBytes(out));
        }
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        if (base != null) {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Example
    void theIntactProofsPassWithAndWithoutTheKey() throws Exception {
        for (byte[] proof : proofs) {
            assertThat(check(proof, proof, "intact", true)).isEqualTo(ExitCodes.OK);
            assertThat(check(proof, proof, "intact", false)).isEqualTo(ExitCodes.OK);
        }
    }

    /** Every length, not a sample: a cut anywhere is caught, at every byte of one proof. */
    @Example
    void aProofCutAtAnyLengthIsRejected() throws Exception {
        byte[] proof = proofs.get(1);
        for (int length = 0; length < proof.length; length++) {
            byte[] cut = Arrays.copyOf(proof, length);
            assertThat(check(proof, cut, "cut at " + length, true)).as("cut at " + length).isNotZero();
            assertThat(check(proof, cut, "cut at " + length, false)).as("cut at " + length).isNotZero();
        }
    }

    /**
     * Every byte, not a sample: a bit flipped anywhere. With the key nothing passes; without it, a flip passes only
     * in the parts nobody vouches for (checked in {@link #check}).
     */
    @Example
    void aBitFlippedAnywhereIsRejectedOrProvablyIrrelevant() throws Exception {
        byte[] proof = proofs.get(1);
        for (int at = 0; at < proof.length; at++) {
            byte[] flipped = proof.clone();
            flipped[at] ^= (byte) (1 << (at % 8));
            assertThat(check(proof, flipped, "flip at " + at, true)).as("flip at " + at).isNotZero();
            check(proof, flipped, "flip at " + at, false);
        }
    }

    /**
     * Without {@code --pubkey} the checkpoint is unauthenticated, and its tree size is bound only as far as the
     * proof's path depends on it: record 0's path in a tree of 30 (five hashes, every sibling on the right) is its
     * path in any tree of 17 to 32, so a proof whose size was changed within that range still leads to the same root
     * and passes, naming the changed size. The record is still proved to be in the tree with that root; only the
     * unsigned size is wrong, as the OK line's "signature not checked" warns. With the key the size is signed.
     */
    @Example
    void anUnsignedTreeSizeIsBoundOnlyByTheShapeOfThePath() throws Exception {
        byte[] proof = proofs.get(0);
        for (long size = 1; size <= 64; size++) {
            byte[] resized = new TreeSize(size).apply(proof);
            int unsigned = check(proof, resized, "size " + size, false);
            assertThat(unsigned).as("size " + size).isEqualTo(size >= 17 && size <= 32 ? ExitCodes.OK
                    : ExitCodes.TAMPERED);
            if (size != 30) {
                assertThat(check(proof, resized, "size " + size, true)).isEqualTo(ExitCodes.SIGNATURE);
            }
        }
    }

    @Property(tries = 200)
    void anyDamageEndsInOneLineAndItsExitCode(@ForAll("proofIndex") int which, @ForAll("damages") Damage damage)
            throws Exception {
        byte[] proof = proofs.get(which);
        byte[] damaged = damage.apply(proof);
        int signed = check(proof, damaged, damage.toString(), true);
        int unsigned = check(proof, damaged, damage.toString(), false);
        boolean changed = !Arrays.equals(proof, damaged);
        Statistics.label("damage").collect(damage.kind(), changed ? "changed" : "unchanged");
        Statistics.label("exit with --pubkey").collect(signed);
        Statistics.label("exit without").collect(unsigned);
        if (changed && (signed == ExitCodes.OK || unsigned == ExitCodes.OK)) {
            Statistics.label("damage that passed").collect(damage.kind(), signed == ExitCodes.OK ? "with --pubkey"
                    : "without --pubkey only");
        }
    }

    /**
     * The damage above rarely gets past the Merkle check, so the code after it (decoding the record, describing it)
     * sees only intact records. Here the proof is made consistent around damaged record bytes: a tree of that one
     * record, its checkpoint signed by the trusted key itself. A leaf that is not a well-formed record of seq 0 is
     * still TAMPERED (exit 1), never a crash.
     */
    @Property(tries = 60)
    void aSignedTreeOfAnyRecordBytesNeverCrashesTheReader(@ForAll("recordDamages") Damage damage) throws Exception {
        byte[] genesis = ProofFile.parse(proofs.get(0)).record();
        byte[] record = damage.apply(genesis);
        Assume.that(record.length >= TrailFormat.HEADER_LENGTH);
        byte[] leaf = new MerkleHash().leafHash(record);
        SignedCheckpoint note = SignedCheckpoint.sign(Checkpoint.of(Checkpoint.trailOrigin("writer-1"), 1, leaf,
                ProofSupport.CHECKPOINT_TIME), signer);
        byte[] proof = new ProofFile(0, record, List.of(), note).render().getBytes(StandardCharsets.UTF_8);

        boolean wellFormed;
        try {
            wellFormed = AuditRecord.decode(record, 0, record.length).seq() == 0;
        } catch (MalformedRecordException e) {
            wellFormed = false;
        }
        for (boolean withKey : new boolean[] {true, false}) {
            int exit = check(proof, proof, damage + " made consistent", withKey);
            assertThat(exit).as(damage.toString()).isEqualTo(wellFormed ? ExitCodes.OK : ExitCodes.TAMPERED);
        }
        Statistics.label("record").collect(wellFormed ? "well-formed" : "malformed");
    }

    @Provide
    Arbitrary<Damage> recordDamages() {
        Arbitrary<Integer> anyPosition = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Damage> overwrite = Combinators.combine(anyPosition.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 255).list().ofSize(4)).as(Overwrite::new);
        Arbitrary<Damage> stringLength = Combinators.combine(anyPosition, Arbitraries.integers().between(0, 0xFFFF))
                .as(RawStringLength::new);
        Arbitrary<Damage> cut = anyPosition.map(Cut::new);
        Arbitrary<Damage> extend = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40).map(Extend::new);
        Arbitrary<Damage> random = Arbitraries.bytes().array(byte[].class).ofMinSize(18).ofMaxSize(300)
                .map(Replace::new);
        return Arbitraries.oneOf(overwrite, stringLength, cut, extend, random);
    }

    @Provide
    Arbitrary<Integer> proofIndex() {
        return Arbitraries.integers().between(0, proofs.size() - 1);
    }

    @Provide
    Arbitrary<Damage> damages() {
        Arbitrary<Integer> anyPosition = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Damage> cut = anyPosition.map(Cut::new);
        Arbitrary<Damage> extend = tails().map(Extend::new);
        Arbitrary<Damage> overwrite = Combinators.combine(anyPosition.list().ofMinSize(1).ofMaxSize(8),
                Arbitraries.integers().between(0, 255).list().ofSize(8)).as(Overwrite::new);
        Arbitrary<Damage> insert = Combinators.combine(anyPosition, tails()).as(Insert::new);
        Arbitrary<Damage> index = Arbitraries.oneOf(Arbitraries.longs().between(0, 40),
                Arbitraries.longs().greaterOrEqual(0)).map(n -> new Line(3, "index " + n, "index"));
        Arbitrary<Damage> hashes = Combinators.combine(Arbitraries.integers().between(0, 2), anyPosition,
                Arbitraries.bytes().array(byte[].class).ofSize(32)).as(Hashes::new);
        Arbitrary<Damage> recordLength = Arbitraries.integers().between(-200, 200).filter(d -> d != 0)
                .map(RecordLength::new);
        Arbitrary<Damage> stringLength = Combinators.combine(anyPosition, Arbitraries.integers().between(0, 0xFFFF))
                .as(StringLength::new);
        Arbitrary<Damage> treeSize = Arbitraries.oneOf(Arbitraries.longs().between(0, 64),
                Arbitraries.longs().greaterOrEqual(0)).map(TreeSize::new);
        Arbitrary<Damage> lines = Combinators.combine(anyPosition, Arbitraries.of(true, false)).as(LineEdit::new);
        return Arbitraries.frequencyOf(
                Tuple.of(2, cut), Tuple.of(2, extend), Tuple.of(3, overwrite), Tuple.of(1, insert),
                Tuple.of(1, index), Tuple.of(1, hashes), Tuple.of(1, recordLength), Tuple.of(2, stringLength),
                Tuple.of(1, treeSize), Tuple.of(1, lines));
    }

    /** Bytes to add: any bytes, or text that looks like a proof's (lines, base64, a signature line). */
    private static Arbitrary<byte[]> tails() {
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
        Arbitrary<byte[]> text = Arbitraries.strings().withChars("\n —=+/Aaz09").ofMinLength(1).ofMaxLength(64)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> signatureLine = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)
                .map(name -> ("— " + name + " " + Base64.getEncoder().encodeToString(new byte[68]) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(any, text, signatureLine);
    }

    /**
     * Runs {@code verify-proof} on {@code damaged} and checks what it did against the intact {@code proof}.
     *
     * @return the exit code
     */
    private static int check(byte[] proof, byte[] damaged, String what, boolean withKey) throws Exception {
        Path file = Files.write(base.resolve("damaged.tlog-proof"), damaged);
        String[] args = withKey
                ? new String[] {"verify-proof", file.toString(), "--pubkey", pubkey.toString(), "--key-name", "ops"}
                : new String[] {"verify-proof", file.toString()};
        Cli.Result r = assertTimeoutPreemptively(BOUND, () -> Cli.run(args), () -> "hung on " + what);
        String context = what + (withKey ? " with --pubkey" : " without --pubkey") + ": " + r;

        assertThat(r.exitCode()).as(context).isIn(ExitCodes.OK, ExitCodes.TAMPERED, ExitCodes.SIGNATURE,
                ExitCodes.UNREADABLE);
        assertThat(r.out() + r.err()).as(context).hasLineCount(1).doesNotContain("\tat ")
                .doesNotContain("Exception");
        switch (r.exitCode()) {
            case ExitCodes.OK -> {
                assertThat(r.err()).as(context).isEmpty();
                assertThat(r.out()).as(context).startsWith("OK record ");
                assertIrrelevant(proof, damaged, withKey, context);
            }
            case ExitCodes.TAMPERED -> {
                assertThat(r.err()).as(context).isEmpty();
                assertThat(r.out()).as(context).startsWith("TAMPERED: ");
            }
            case ExitCodes.SIGNATURE -> {
                assertThat(withKey).as("a signature problem without a key: " + context).isTrue();
                assertThat(r.err()).as(context).isEmpty();
                assertThat(r.out()).as(context).startsWith("SIGNATURE: ");
            }
            default -> {
                assertThat(r.out()).as(context).isEmpty();
                assertThat(r.err()).as(context).startsWith("not a proof: " + file + ":");
            }
        }
        return r.exitCode();
    }

    /** A damaged proof passed: everything verify-proof relies on must be as in the intact proof. */
    private static void assertIrrelevant(byte[] proof, byte[] damaged, boolean withKey, String context)
            throws Exception {
        ProofFile was = ProofFile.parse(proof);
        ProofFile now = ProofFile.parse(damaged);
        assertThat(now.index()).as(context).isEqualTo(was.index());
        assertThat(now.record()).as(context).isEqualTo(was.record());
        assertThat(now.hashes()).as(context).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(was.hashes());
        if (withKey) {
            assertThat(now.checkpoint().checkpoint().body()).as(context)
                    .isEqualTo(was.checkpoint().checkpoint().body());
            // The same line twice is the same signature; signed-note's reference implementation skips repeats too.
            assertThat(byTheKey(now)).as(context).hasSameElementsAs(byTheKey(was));
        } else {
            // The root is what the record is proved against. The tree size may differ: an inclusion proof binds the
            // root, and the size only as far as the shape of the path, which other sizes can share (see
            // anUnsignedTreeSizeIsBoundOnlyByTheShapeOfThePath); with no key, nothing vouches for it anyway.
            assertThat(now.checkpoint().checkpoint().sameRoot(was.checkpoint().checkpoint())).as(context).isTrue();
            assertThat(MerkleVerifier.inclusionProofLength(now.index(), now.checkpoint().checkpoint().size()))
                    .as(context).isEqualTo(was.hashes().size());
        }
    }

    private static List<NoteSignature> byTheKey(ProofFile proof) {
        return proof.checkpoint().note().signatures().stream()
                .filter(s -> s.keyName().equals(key.name()) && s.keyId() == key.keyId()).toList();
    }

    /** One kind of damage to a proof file. */
    interface Damage {
        byte[] apply(byte[] proof);

        default String kind() {
            return getClass().getSimpleName();
        }
    }

    /** Cuts the file short, anywhere. */
    record Cut(int at) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            return Arrays.copyOf(proof, at % proof.length);
        }
    }

    /** Adds bytes after the end. */
    record Extend(byte[] tail) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            byte[] out = Arrays.copyOf(proof, proof.length + tail.length);
            System.arraycopy(tail, 0, out, proof.length, tail.length);
            return out;
        }

        @Override
        public String toString() {
            return "Extend[" + Arrays.toString(tail) + "]";
        }
    }

    /** Inserts bytes anywhere. */
    record Insert(int at, byte[] bytes) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            int i = at % (proof.length + 1);
            byte[] out = new byte[proof.length + bytes.length];
            System.arraycopy(proof, 0, out, 0, i);
            System.arraycopy(bytes, 0, out, i, bytes.length);
            System.arraycopy(proof, i, out, i + bytes.length, proof.length - i);
            return out;
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", " + Arrays.toString(bytes) + "]";
        }
    }

    /** Sets bytes anywhere to any value (the same value leaves the byte as it was). */
    record Overwrite(List<Integer> positions, List<Integer> values) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            byte[] out = proof.clone();
            for (int i = 0; i < positions.size(); i++) {
                out[positions.get(i) % out.length] = (byte) (int) values.get(i);
            }
            return out;
        }
    }

    /** Replaces the 1-based line {@code n} of the proof's head (before the checkpoint). */
    record Line(int n, String text, String kind) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            List<String> lines = lines(proof);
            lines.set(n - 1, text);
            return join(lines);
        }
    }

    /** Drops a proof hash (0), repeats one (1), or adds a random one (2): the count no longer fits the tree. */
    record Hashes(int how, int at, byte[] hash) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            List<String> lines = lines(proof);
            int count = lines.indexOf("") - 3;
            int i = 3 + (count == 0 ? 0 : at % count);
            switch (how) {
                case 0 -> {
                    if (count > 0) {
                        lines.remove(i);
                    }
                }
                case 1 -> {
                    if (count > 0) {
                        lines.add(i, lines.get(i));
                    }
                }
                default -> lines.add(i, Base64.getEncoder().encodeToString(hash));
            }
            return join(lines);
        }

        @Override
        public String toString() {
            return "Hashes[how=" + how + ", at=" + at + "]";
        }
    }

    /**
     * Makes the record shorter or longer (canonical base64 of other bytes), as if its length had been changed: cut
     * by {@code -delta} bytes (at least to one byte), or extended by {@code delta} zero bytes.
     */
    record RecordLength(int delta) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            List<String> lines = lines(proof);
            byte[] record = Base64.getDecoder().decode(lines.get(1).substring("extra ".length()));
            byte[] other = Arrays.copyOf(record, Math.max(1, record.length + delta));
            lines.set(1, "extra " + Base64.getEncoder().encodeToString(other));
            return join(lines);
        }
    }

    /** Sets one of the 2-byte string lengths inside the record to any value, keeping the base64 canonical. */
    record StringLength(int which, int value) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            List<String> lines = lines(proof);
            byte[] record = Base64.getDecoder().decode(lines.get(1).substring("extra ".length()));
            List<Integer> fields = lengthFields(record);
            int at = fields.get(which % fields.size());
            record[at] = (byte) (value >>> 8);
            record[at + 1] = (byte) value;
            lines.set(1, "extra " + Base64.getEncoder().encodeToString(record));
            return join(lines);
        }
    }

    /** Sets one of the 2-byte string lengths of a record (the bytes themselves, not a proof) to any value. */
    record RawStringLength(int which, int value) implements Damage {
        @Override
        public byte[] apply(byte[] record) {
            byte[] out = record.clone();
            List<Integer> fields = lengthFields(out);
            int at = fields.get(which % fields.size());
            out[at] = (byte) (value >>> 8);
            out[at + 1] = (byte) value;
            return out;
        }
    }

    /** Other bytes altogether. */
    record Replace(byte[] bytes) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return "Replace[" + Arrays.toString(bytes) + "]";
        }
    }

    /** Sets the checkpoint's tree size, the signed note's second line. */
    record TreeSize(long size) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            List<String> lines = lines(proof);
            lines.set(lines.indexOf("") + 2, Long.toString(size));
            return join(lines);
        }
    }

    /** Removes a line, or repeats it. */
    record LineEdit(int at, boolean remove) implements Damage {
        @Override
        public byte[] apply(byte[] proof) {
            List<String> lines = lines(proof);
            int i = at % lines.size();
            if (remove) {
                lines.remove(i);
            } else {
                lines.add(i, lines.get(i));
            }
            return join(lines);
        }
    }

    private static List<String> lines(byte[] proof) {
        String text = new String(proof, StandardCharsets.UTF_8);
        return new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1)));
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @return the offsets of the 2-byte string lengths in a GENESIS, decision or outcome record */
    static List<Integer> lengthFields(byte[] record) {
        RecordType type = new RecordView().wrap(record, 0, record.length).type();
        // s: a string (2-byte length, then bytes); d: a 32-byte digest; a digit: a fixed field of that many bytes.
        String layout = switch (type) {
            case GENESIS -> "sds";
            case CALL_ALLOWED, CALL_DENIED -> "11sssssdsssss";
            case CALL_RETURNED, CALL_THREW -> "88ss";
            default -> throw new IllegalArgumentException(type.toString());
        };
        List<Integer> fields = new ArrayList<>();
        int pos = TrailFormat.HEADER_LENGTH;
        for (char c : layout.toCharArray()) {
            if (c == 's') {
                fields.add(pos);
                pos += 2 + (((record[pos] & 0xFF) << 8) | (record[pos + 1] & 0xFF));
            } else {
                pos += c == 'd' ? TrailFormat.HASH_LENGTH : c - '0';
            }
        }
        assertThat(pos).as("the layout covers the record").isEqualTo(record.length);
        return fields;
    }
}
