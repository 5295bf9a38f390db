package dev.agentmesh.agent.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per audit directory. The chain is a single sequence whose head lives in the writing JVM's memory, so a
 * second JVM appending to the same directory would fork it. The lock is an OS file lock on
 * {@value #FILE_NAME} in the directory, held for the life of the JVM and released by the OS when it exits, even
 * after a crash; the file also names the holder's pid for the error message.
 */
public final class WriterLock implements AutoCloseable {

    /** The lock file's name inside the audit directory. */
    public static final String FILE_NAME = "agentmesh-writer.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory's writer lock.
     *
     * @param dir the audit directory; created if missing
     * @return the lock, held until closed or the JVM exits
     * @throws HeldElsewhereException if another JVM holds it
     * @throws IOException if the directory or the lock file cannot be created; the trail will then fail to open
     *     and deny governed calls, as for any unwritable directory
     */
    public static WriterLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new HeldElsewhereException(dir, holder);
        }
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        return new WriterLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = channel.read(buf, 0);
            return n <= 0 ? "unknown" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another JVM writes to this audit directory. */
    public static final class HeldElsewhereException extends IOException {

        private static final long serialVersionUID = 1L;

        private final String pid;

        HeldElsewhereException(Path dir, String pid) {
            super("the audit directory " + dir.toAbsolutePath() + " is in use by another JVM (pid " + pid
                    + "); give each JVM its own audit.dir");
            this.pid = pid;
        }

        /** @return whether the holder is this JVM after all (it took the lock earlier and holds it still) */
        public boolean heldByThisProcess() {
            return pid.equals(Long.toString(ProcessHandle.current().pid()));
        }
    }
}
