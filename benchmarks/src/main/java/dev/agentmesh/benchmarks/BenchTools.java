package dev.agentmesh.benchmarks;

import dev.agentmesh.api.Ring;

/** The same small tool three ways: ungoverned, governed and allowed, governed and denied. */
public class BenchTools {

    /**
     * @param query a search query
     * @return its length
     */
    public int plain(String query) {
        return query.length();
    }

    /**
     * @param query a search query
     * @return its length
     */
    @Ring(2)
    public int governed(String query) {
        return query.length();
    }

    /**
     * @param query a search query
     * @return its length
     */
    @Ring(1)
    public int privileged(String query) {
        return query.length();
    }

    /**
     * A governed call that sleeps until interrupted.
     *
     * @param entered counted down once the body runs
     * @return never normally
     * @throws InterruptedException when the kill interrupts it
     */
    @Ring(2)
    public int sleepy(java.util.concurrent.CountDownLatch entered) throws InterruptedException {
        entered.countDown();
        Thread.sleep(60_000);
        return 0;
    }

    /**
     * A governed call blocked reading a pipe no one writes to: interruptible I/O.
     *
     * @param source the pipe's read end
     * @param entered counted down once the body runs
     * @return bytes read, never normally
     * @throws java.io.IOException {@code ClosedByInterruptException} when the kill interrupts it
     */
    @Ring(2)
    public int readPipe(java.nio.channels.Pipe.SourceChannel source, java.util.concurrent.CountDownLatch entered)
            throws java.io.IOException {
        entered.countDown();
        return source.read(java.nio.ByteBuffer.allocate(1));
    }
}
