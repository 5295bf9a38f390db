package dev.agentmesh.it.apps;

import dev.agentmesh.api.Ring;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tools that take a call number as their only argument, so each call's ALLOW or DENY record carries a unique
 * argument digest ({@code ArgumentDigest.digest(Long.valueOf(n))}) that a test can match to the call.
 */
public class NumberedTools {

    private final AtomicLong bodies = new AtomicLong();
    private final FileOutputStream sideFile;

    /** Tools whose bodies only count. */
    public NumberedTools() {
        this.sideFile = null;
    }

    /** @param sideFile each {@link #work} body appends its call number to it, one line per call, then flushes */
    public NumberedTools(FileOutputStream sideFile) {
        this.sideFile = sideFile;
    }

    /** Allowed to ring 2 and better. */
    @Ring(2)
    public long work(long n) {
        if (sideFile != null) {
            try {
                // One unbuffered write(2): once it returns, the line is in the kernel and survives a SIGKILL.
                sideFile.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
                sideFile.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        bodies.incrementAndGet();
        return n;
    }

    /** Only ring 1 and better: denied to the ring-2 agents the apps use. */
    @Ring(1)
    public long privileged(long n) {
        bodies.incrementAndGet();
        return n;
    }

    /** @return how many bodies ran */
    public long bodies() {
        return bodies.get();
    }
}
