package dev.agentmesh.benchmarks;

import dev.agentmesh.api.GovernedAction;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Ring;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The same small tool three ways: ungoverned, governed and allowed, governed and denied; and what the benchmarks of
 * sessions, sagas and throughput share: the agent's command line, a joined session, the check that a fork is
 * governed, and the verification of the trail a fork wrote.
 */
public class BenchTools {

    /**
     * The agent, as a user adds it, with the benchmark policy: append the audit directory. Each benchmark class
     * writes its own trail under {@code target/}, which {@code benchmarks/run.sh} deletes afterwards.
     */
    static final String AGENT_WITH_TRAIL_IN = "-javaagent:javaagent/target/agentmesh-javaagent.jar"
            + "=policy=benchmarks/bench-policy.yaml,audit.dir=";

    /**
     * JMH forks that read a trail with Chronicle themselves (outside the agent, which opens what it needs) get the
     * module access Chronicle documents, from this argument file: one list for every such fork. Relative to the
     * repository root, where the benchmarks run.
     */
    static final String CHRONICLE_ACCESS = "@benchmarks/chronicle-access.args";

    /** The ring-2 agent of the benchmark policy that every governed benchmark acts as. */
    static final String AGENT_ID = "bench-agent";

    /**
     * Opens a session with {@link #AGENT_ID} joined, after checking, with a ring-1 action of that ring-2 agent in
     * it, that the fork is governed.
     *
     * @param config the session's configuration
     * @return the session, ACTIVE
     * @throws IllegalStateException if the ring-1 action was not denied
     */
    static Session joinedSession(SessionConfig config) {
        Session session = Hypervisor.get().createSession(config);
        session.join(AGENT_ID);
        requireDenied("a ring-1 session action of the ring-2 " + AGENT_ID,
                () -> session.execute(AGENT_ID, "tool_call", "delete_records", 1, () -> 0));
        return session;
    }

    /**
     * A benchmark's session ({@code SessionConfig.defaults()}), with {@link #AGENT_ID} joined: opened once per fork,
     * after the check that the fork is governed (see {@link #joinedSession}), and terminated at its end.
     */
    @State(Scope.Thread)
    public static class JoinedSession {
        /** The session, ACTIVE while the benchmark runs. */
        Session session;

        /** Opens the session; fails the fork unless it is governed. */
        @Setup(Level.Trial)
        public void open() {
            session = joinedSession(SessionConfig.defaults());
        }

        /** Terminates the session: its TERMINATED record closes it on the trail. */
        @TearDown(Level.Trial)
        public void terminate() {
            session.terminate();
        }
    }

    /**
     * Fails the fork unless {@code action} is refused with {@link RingViolationException}: proof that the agent is
     * attached and deciding, so the fork does not silently measure ungoverned code.
     *
     * @param what the action, for the message
     * @param action an action the benchmark policy denies
     * @throws IllegalStateException if it ran, or failed otherwise
     */
    static void requireDenied(String what, GovernedAction<?> action) {
        try {
            action.run();
        } catch (RingViolationException expected) {
            return;
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed instead of being denied: " + e, e);
        }
        throw new IllegalStateException(what + " ran: this fork is not governed (is the agent attached?)");
    }

    /**
     * Deletes trails a run left, so the next run starts them afresh.
     *
     * @param dirs audit directories, or files
     */
    static void deleteTrails(String... dirs) {
        for (String dir : dirs) {
            Path trail = Paths.get(dir);
            if (!Files.exists(trail)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(trail)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

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

    /**
     * A trail verified from its GENESIS to its end with audit-format's own {@link ChainVerifier} (hash chain,
     * sequence numbers, every outcome closing an open ALLOW), and its records counted by type and event.
     */
    static final class TrailTally {
        private final long[] types = new long[RecordType.values().length];
        private final long[] sessionEvents = new long[SessionEvent.values().length];
        private final long[] sagaEvents = new long[SagaEvent.values().length];
        private long total;

        private TrailTally() {
        }

        /**
         * Reads and verifies a trail; the agent may still be writing it.
         *
         * @param dir the audit directory
         * @return its counts
         * @throws IllegalStateException if it does not verify or cannot be read
         */
        static TrailTally of(String dir) {
            TrailTally tally = new TrailTally();
            ChainVerifier verifier = new ChainVerifier();
            try (SingleChronicleQueue queue = TrailQueue.openForReading(Paths.get(dir))) {
                tally.total = TrailQueue.readAll(queue, (stored, length, index) -> {
                    tally.count(verifier.check(stored, length));
                    return true;
                });
            } catch (ChainBreak e) {
                throw new IllegalStateException("the trail in " + dir + " does not verify: " + e.getMessage(), e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the trail in " + dir + ": " + e, e);
            }
            if (verifier.count() != tally.total) {
                throw new IllegalStateException("read " + tally.total + " records in " + dir + " but verified "
                        + verifier.count());
            }
            return tally;
        }

        private void count(RecordView record) {
            RecordType type = record.type();
            types[type.ordinal()]++;
            if (type == RecordType.SESSION_EVENT) {
                sessionEvents[record.sessionEvent().ordinal()]++;
            } else if (type == RecordType.SAGA_EVENT) {
                sagaEvents[record.sagaEvent().ordinal()]++;
            }
        }

        /** @return how many records the trail holds, all verified */
        long total() {
            return total;
        }

        /**
         * @param type a record type
         * @return how many records of that type
         */
        long count(RecordType type) {
            return types[type.ordinal()];
        }

        /**
         * @param event a session event
         * @return how many SESSION records of that event
         */
        long count(SessionEvent event) {
            return sessionEvents[event.ordinal()];
        }

        /**
         * @param event a saga event
         * @return how many SAGA records of that event
         */
        long count(SagaEvent event) {
            return sagaEvents[event.ordinal()];
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(total + " records:");
            for (RecordType type : RecordType.values()) {
                if (count(type) > 0) {
                    out.append(' ').append(type.label()).append('=').append(count(type));
                }
            }
            return out.toString();
        }
    }
}
