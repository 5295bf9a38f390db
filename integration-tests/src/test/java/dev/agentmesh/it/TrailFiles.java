package dev.agentmesh.it;

import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.TrailFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bytes of a trail on disk, for tests that damage it the way an attacker or a crash would, without Chronicle on
 * the test's class path.
 *
 * <p>A Chronicle cycle file ({@code *.cq4}) is a run of documents from offset 0. Each starts with a 4-byte
 * little-endian header: the low 30 bits are the length of what follows, bit 30 marks metadata (the queue's own
 * header and index arrays), bit 31 marks a document whose write has not completed. The next header follows at the
 * next multiple of 4. A zero header is where nothing has been written yet, or where a write was cut short (this
 * Chronicle version sets a document's header only once its bytes are written, so a killed writer can leave a zero
 * header followed by part of a record); a not-complete header with the metadata bit and no length is the end-of-file
 * mark Chronicle writes when it rolls to the next cycle file. The file is
 * pre-sized and sparse (80 MB for a daily cycle), so copies here skip its unwritten tail.
 *
 * <p>Each data document is one stored record: canonical bytes, then the 32-byte chain hash.
 */
final class TrailFiles {

    static final int NOT_COMPLETE = 0x8000_0000;
    static final int META_DATA = 0x4000_0000;
    static final int LENGTH_MASK = 0x3FFF_FFFF;

    private TrailFiles() {
    }

    /**
     * One Chronicle document.
     *
     * @param file its cycle file
     * @param offset where its header is
     * @param header the header word
     */
    record Doc(Path file, int offset, int header) {

        int length() {
            return header & LENGTH_MASK;
        }

        boolean meta() {
            return (header & META_DATA) != 0;
        }

        boolean complete() {
            return (header & NOT_COMPLETE) == 0;
        }

        /** @return the offset of its first byte after the header */
        int payload() {
            return offset + 4;
        }

        /** @return where the next document's header goes */
        int end() {
            return align(offset + 4 + length());
        }
    }

    /** @return the trail's cycle files, in name order, which is cycle order */
    static List<Path> cycleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }

    /** @return the only cycle file, failing if there is not exactly one */
    static Path onlyCycleFile(Path dir) throws IOException {
        List<Path> files = cycleFiles(dir);
        if (files.size() != 1) {
            throw new AssertionError("expected one cycle file in " + dir + ", found " + files);
        }
        return files.get(0);
    }

    /**
     * Walks a cycle file's documents from offset 0 up to the first unwritten header. A document whose write did not
     * complete, or the end-of-file mark, is the last one listed.
     */
    static List<Doc> documents(Path cq4) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(cq4, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            map.order(ByteOrder.LITTLE_ENDIAN);
            int pos = 0;
            while (pos + 4 <= map.limit()) {
                int header = map.getInt(pos);
                if (header == 0) {
                    break;
                }
                Doc doc = new Doc(cq4, pos, header);
                docs.add(doc);
                if (!doc.complete()) {
                    break;
                }
                pos = doc.end();
            }
        }
        return docs;
    }

    /** @return every complete data document of the trail (its records, in trail order), across its cycle files */
    static List<Doc> records(Path dir) throws IOException {
        List<Doc> records = new ArrayList<>();
        for (Path file : cycleFiles(dir)) {
            for (Doc doc : documents(file)) {
                if (doc.complete() && !doc.meta()) {
                    records.add(doc);
                }
            }
        }
        return records;
    }

    /** @return the bytes of a document after its header: for a record, the stored record */
    static byte[] payload(Doc doc) throws IOException {
        try (FileChannel ch = FileChannel.open(doc.file(), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(doc.length());
            ch.read(buf, doc.payload());
            return buf.array();
        }
    }

    /** @return where the last written document of a cycle file ends */
    static int usedEnd(Path cq4) throws IOException {
        List<Doc> docs = documents(cq4);
        return docs.isEmpty() ? 0 : docs.get(docs.size() - 1).end();
    }

    /** XORs one byte of a file with {@code mask}. */
    static void xor(Path file, long offset, int mask) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ mask)).rewind();
            ch.write(b, offset);
        }
    }

    /** Writes {@code bytes} over a file's bytes at {@code offset}. */
    static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
    }

    /**
     * Rewrites the records of one cycle file from {@code first} on: they become exactly {@code stored}, written as
     * consecutive complete data documents from {@code first}'s offset, and whatever the old documents occupied
     * beyond the new ones is zeroed, so Chronicle sees the file end there. This is how records are deleted,
     * reordered or replaced in place. Documents in later cycle files are not touched.
     *
     * @param first the first record to rewrite; every document after it in its file must be a record
     * @param stored the stored records to write in its place and after it
     */
    static void rewriteFrom(Doc first, List<byte[]> stored) throws IOException {
        List<Doc> docs = documents(first.file());
        int oldEnd = docs.get(docs.size() - 1).end();
        for (Doc doc : docs) {
            if (doc.offset() >= first.offset() && (doc.meta() || !doc.complete())) {
                throw new AssertionError("cannot rewrite across Chronicle metadata or an incomplete document: " + doc);
            }
        }
        int size = 0;
        for (byte[] record : stored) {
            size += align(4 + record.length);
        }
        ByteBuffer out = ByteBuffer.allocate(Math.max(size, oldEnd - first.offset())).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] record : stored) {
            int at = out.position();
            out.putInt(record.length).put(record).position(align(at + 4 + record.length));
        }
        write(first.file(), first.offset(), out.array());
    }

    /**
     * Re-chains stored records in place, as a forger who rewrites the hashes would: each record's chain hash becomes
     * {@code SHA-256(previous hash || its canonical bytes)}, starting from {@code previous}.
     */
    static void rechain(byte[] previous, List<byte[]> stored) {
        ChainHasher hasher = new ChainHasher();
        byte[] prev = previous.clone();
        for (byte[] record : stored) {
            int len = record.length - TrailFormat.HASH_LENGTH;
            hasher.chain(prev, record, 0, len, record, len);
            prev = Arrays.copyOfRange(record, len, record.length);
        }
    }

    /** @return the chain hash a stored record carries: its last 32 bytes */
    static byte[] chainHash(byte[] stored) {
        return Arrays.copyOfRange(stored, stored.length - TrailFormat.HASH_LENGTH, stored.length);
    }

    /**
     * Copies a trail directory, cycle files without their unwritten (all-zero) tail but at their full length, so
     * the copy is as sparse as the original and reads the same.
     */
    static void copyTrail(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(f.getFileName());
                if (Files.isDirectory(f)) {
                    copyTrail(f, target);
                } else if (f.getFileName().toString().endsWith(".cq4")) {
                    copySparse(f, target, Files.size(f));
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** Copies a cycle file's written bytes, then sizes the copy to {@code length} (shorter cuts it). */
    static void copySparse(Path from, Path to, long length) throws IOException {
        long written = Math.min(lastNonZero(from) + 1, length);
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < written) {
                done += in.transferTo(done, written - done, out);
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(to.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    /** @return the offset of a file's last non-zero byte, or -1 */
    static long lastNonZero(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int chunk = 1 << 20;
            for (long end = size; end > 0; end -= chunk) {
                long start = Math.max(0, end - chunk);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, start, end - start);
                int i = (int) (end - start);
                while (i >= 8 && map.getLong(i - 8) == 0) {
                    i -= 8;
                }
                for (i--; i >= 0; i--) {
                    if (map.get(i) != 0) {
                        return start + i;
                    }
                }
            }
            return -1;
        }
    }

    private static int align(int offset) {
        return (offset + 3) & ~3;
    }
}
