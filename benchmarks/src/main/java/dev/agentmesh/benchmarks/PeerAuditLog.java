package dev.agentmesh.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What a team would build by hand instead of AgentMesh, for {@link PeerLogbackBenchmark}: application code that
 * checks the caller's ring with a map lookup, writes a decision record with the fields AgentMesh writes (agent id,
 * ring, required ring, class, method, descriptor, SHA-256 of the arguments, sequence number, time), chains it with
 * {@code SHA-256(previous hash || record bytes)}, and logs it through SLF4J, one line per record; then, after the
 * body, an outcome record the same way. Written as a competent team would: a {@code MessageDigest} kept per thread
 * for the arguments and one for the chain, no reflection (the call site names its method), one lock around
 * numbering, chaining and logging so that the log's order is the chain's order.
 *
 * <p>A line is the record's text, a space and the 64 hex digits of its chain hash:
 * <pre>
 * ALLOW seq=1 time=1764000000000 agent=bench-agent ring=2 required=2 class=dev.agentmesh.benchmarks.PeerTools method=handAudited desc=(Ljava/lang/String;)I args=9f2c… hash=41d0…
 * RETURNED seq=2 time=1764000000000 call=1 durationNanos=95 hash=77ab…
 * </pre>
 * The first record chains from 32 zero bytes. {@link #verify(Path)} checks a file of them.
 */
public final class PeerAuditLog {

    /** The hash the first record chains from. */
    static final byte[] GENESIS = new byte[32];

    private static final HexFormat HEX = HexFormat.of();
    /** The agent the current thread acts for, as the application's own context keeps it. */
    private static final ThreadLocal<String> CURRENT_AGENT = new ThreadLocal<>();
    private static final ThreadLocal<MessageDigest> ARGS_DIGEST = ThreadLocal.withInitial(PeerAuditLog::sha256);

    private final Logger log;
    private final Map<String, Integer> rings;
    // Guarded by this.
    private final MessageDigest chain = sha256();
    private final byte[] previous = GENESIS.clone();
    private long seq;

    /**
     * @param log where records go, one line each
     * @param rings each agent's ring; an agent not in it is denied everything
     */
    public PeerAuditLog(Logger log, Map<String, Integer> rings) {
        this.log = log;
        this.rings = Map.copyOf(rings);
    }

    /**
     * Sets the agent the calling thread acts for.
     *
     * @param agentId the agent
     */
    public static void actAs(String agentId) {
        CURRENT_AGENT.set(agentId);
    }

    /**
     * Checks the current agent's ring and writes the decision, before the call.
     *
     * @param requiredRing the least privileged ring allowed (AgentMesh's {@code @Ring}: lower is more privileged)
     * @param className the tool's class
     * @param method the tool's method
     * @param descriptor its descriptor
     * @param args the call's arguments
     * @return the ALLOW record's sequence number, for the outcome record
     * @throws SecurityException after writing a DENY record, if the agent's ring is not privileged enough
     */
    public long allow(int requiredRing, String className, String method, String descriptor, Object... args) {
        String agent = CURRENT_AGENT.get();
        Integer ring = agent == null ? null : rings.get(agent);
        boolean allowed = ring != null && ring <= requiredRing;
        String argsHex = HEX.formatHex(digest(args));
        long allowSeq = write((allowed ? "ALLOW" : "DENY"), " agent=" + agent + " ring=" + ring
                + " required=" + requiredRing + " class=" + className + " method=" + method + " desc=" + descriptor
                + " args=" + argsHex);
        if (!allowed) {
            throw new SecurityException(agent + " (ring " + ring + ") may not call " + className + "." + method);
        }
        return allowSeq;
    }

    /**
     * Writes the outcome of an allowed call that returned.
     *
     * @param callSeq what {@link #allow} returned
     * @param durationNanos how long the body ran
     */
    public void returned(long callSeq, long durationNanos) {
        write("RETURNED", " call=" + callSeq + " durationNanos=" + durationNanos);
    }

    /**
     * Writes the outcome of an allowed call that threw.
     *
     * @param callSeq what {@link #allow} returned
     * @param durationNanos how long the body ran
     * @param thrown what it threw
     */
    public void threw(long callSeq, long durationNanos, Throwable thrown) {
        write("THREW", " call=" + callSeq + " durationNanos=" + durationNanos + " exception="
                + thrown.getClass().getName());
    }

    /** Numbers, stamps, chains and logs one record; returns its number. */
    private long write(String type, String fields) {
        synchronized (this) {
            long number = ++seq;
            String record = type + " seq=" + number + " time=" + System.currentTimeMillis() + fields;
            chain.update(previous);
            chain.update(record.getBytes(StandardCharsets.UTF_8));
            try {
                chain.digest(previous, 0, previous.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            log.info(record + " hash=" + HEX.formatHex(previous));
            return number;
        }
    }

    /** SHA-256 over each argument: a type tag, then its text in UTF-8. */
    private static byte[] digest(Object[] args) {
        MessageDigest d = ARGS_DIGEST.get();
        for (Object arg : args) {
            d.update((byte) (arg == null ? 'N' : arg instanceof CharSequence ? 's' : 'O'));
            d.update(String.valueOf(arg).getBytes(StandardCharsets.UTF_8));
        }
        return d.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Re-verifies a file of these records: each line's hash is SHA-256 of the previous line's hash (zeros for the
     * first) and its record text, and the sequence numbers run 1, 2, 3, … with no gap.
     *
     * @param file the log file
     * @return how many records it holds
     * @throws IOException if it cannot be read
     * @throws IllegalStateException at the first line that does not verify
     */
    public static long verify(Path file) throws IOException {
        MessageDigest d = sha256();
        byte[] previous = GENESIS.clone();
        long count = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                count++;
                int at = line.lastIndexOf(" hash=");
                if (at < 0 || !line.contains(" seq=" + count + " ")) {
                    throw new IllegalStateException(file + " line " + count + " is not record " + count + ": " + line);
                }
                d.update(previous);
                d.update(line.substring(0, at).getBytes(StandardCharsets.UTF_8));
                byte[] expected = d.digest();
                if (!Arrays.equals(expected, HEX.parseHex(line.substring(at + " hash=".length())))) {
                    throw new IllegalStateException(file + " line " + count + " breaks the chain: " + line);
                }
                previous = expected;
            }
        }
        return count;
    }
}
