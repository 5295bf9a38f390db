package dev.agentmesh.audit.format;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads a trail's stored records one at a time from a tailer, into one buffer reused from read to read: what every
 * thread that follows a trail (the checkpointer, the fleet forwarder, a reader) does with each document. Not
 * thread-safe; one per tailer.
 */
public final class StoredRecordReader {

    private byte[] buffer = new byte[512];
    private int length;
    private long index;

    /**
     * Reads the next document, if one is there.
     *
     * @param tailer the trail's tailer
     * @return whether a record was read; if so, {@link #bytes()}, {@link #length()} and {@link #index()} describe it
     * @throws IllegalStateException if the document is longer than any record can be (damage)
     */
    public boolean next(ExcerptTailer tailer) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            Bytes<?> bytes = dc.wire().bytes();
            long remaining = bytes.readRemaining();
            if (remaining > TrailQueue.MAX_STORED_LENGTH) {
                throw new IllegalStateException("a document of " + remaining + " bytes is longer than any record "
                        + "can be");
            }
            length = (int) remaining;
            if (length > buffer.length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            bytes.read(buffer, 0, length);
            index = dc.index();
            return true;
        }
    }

    /** @return the buffer holding the last record read, canonical bytes then hash; valid until the next read */
    public byte[] bytes() {
        return buffer;
    }

    /** @return the stored length of the last record read */
    public int length() {
        return length;
    }

    /** @return the queue index of the last record read */
    public long index() {
        return index;
    }
}
