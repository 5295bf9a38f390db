package dev.agentmesh.agent.killswitch;

import dev.agentmesh.api.KillTarget;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The governed calls running on each thread, so a kill can interrupt those of its target. Each thread owns one
 * {@link Slot}, made once and kept in its call scratch; entering and leaving a call writes two array cells and one
 * volatile int, with no allocation and no lock. A kill walks every live slot.
 */
public final class InFlightCalls {

    /** Calls nested deeper than this on one thread are counted but not matched by a kill (they are rare). */
    static final int MAX_DEPTH = 32;

    private static final Queue<WeakReference<Slot>> SLOTS = new ConcurrentLinkedQueue<>();

    private InFlightCalls() {
    }

    /** The calls running on one thread: the agent and session of each, innermost last. */
    public static final class Slot {
        private final Thread thread = Thread.currentThread();
        private final String[] agents = new String[MAX_DEPTH];
        private final String[] sessions = new String[MAX_DEPTH];
        /** Each call's sequence number: only the call itself may write its outcome. */
        private final long[] seqs = new long[MAX_DEPTH];
        private volatile int depth;

        private Slot() {
        }

        /**
         * A governed call begins on this slot's thread.
         *
         * @param agentId its agent
         * @param sessionId its session, or {@code null}
         * @param seq the sequence number of its ALLOW record
         */
        public void enter(String agentId, String sessionId, long seq) {
            int d = depth;
            if (d < MAX_DEPTH) {
                agents[d] = agentId;
                sessions[d] = sessionId;
                seqs[d] = seq;
            }
            depth = d + 1; // publishes the cells written above
        }

        /**
         * Called on this slot's thread.
         *
         * @param seq a call's sequence number
         * @return whether it is the innermost governed call running on this thread (assumed so for a call nested
         *         deeper than {@value InFlightCalls#MAX_DEPTH}, whose number is not kept)
         */
        public boolean isInnermost(long seq) {
            int d = depth - 1;
            return d >= 0 && (d >= MAX_DEPTH || seqs[d] == seq);
        }

        /** The innermost governed call on this slot's thread ended. */
        public void exit() {
            int d = depth - 1;
            if (d < 0) {
                return;
            }
            if (d < MAX_DEPTH) {
                agents[d] = null;
                sessions[d] = null;
            }
            depth = d;
        }

        /** @return whether a call of the target is running on this slot's thread */
        boolean runs(KillTarget target) {
            int d = Math.min(depth, MAX_DEPTH);
            for (int i = 0; i < d; i++) {
                if (Kills.matches(target, agents[i], sessions[i])) {
                    return true;
                }
            }
            return false;
        }

        /** @return how many of the agent's calls are running on this slot's thread */
        int count(String agentId) {
            int d = Math.min(depth, MAX_DEPTH);
            int n = 0;
            for (int i = 0; i < d; i++) {
                if (agentId.equals(agents[i])) {
                    n++;
                }
            }
            return n;
        }
    }

    /** @return a slot for the calling thread, registered for kills to find; call once per thread */
    public static Slot newSlot() {
        Slot slot = new Slot();
        SLOTS.add(new WeakReference<>(slot));
        return slot;
    }

    /**
     * Interrupts every thread running a governed call of the target.
     *
     * @param target what was killed
     * @return how many threads were interrupted
     */
    static int interrupt(KillTarget target) {
        int n = 0;
        for (Iterator<WeakReference<Slot>> it = SLOTS.iterator(); it.hasNext(); ) {
            Slot slot = it.next().get();
            if (slot == null || !slot.thread.isAlive()) {
                it.remove();
            } else if (slot.runs(target) && slot.thread != Thread.currentThread()) {
                slot.thread.interrupt();
                n++;
            }
        }
        return n;
    }

    /**
     * @param agentId an agent
     * @return how many of its governed calls are running now, on any thread
     */
    static int count(String agentId) {
        int n = 0;
        for (WeakReference<Slot> ref : SLOTS) {
            Slot slot = ref.get();
            if (slot != null) {
                n += slot.count(agentId);
            }
        }
        return n;
    }
}
