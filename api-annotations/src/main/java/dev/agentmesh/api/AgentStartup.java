package dev.agentmesh.api;

import java.util.function.BooleanSupplier;

/**
 * Lets the API wait for a javaagent that is still starting. Started with the JVM, the agent finishes its start-up
 * (opening the trail, weaving) on a thread of its own while the application's {@code main} already runs; until it
 * is done, no agent may come into context (work handed to an executor before the agent weaves the executors would
 * lose its identity) and {@link Hypervisor#get()} waits for the hypervisor rather than report it missing.
 *
 * <p>Without the agent, {@link #starting} stays {@code false} and every method returns at once. The agent sets and
 * clears it by reflection: it is not part of the API. Application code that sets it by reflection only makes its own
 * threads wait, and code that clears it early only skips the wait: neither reaches anything the agent governs.
 */
final class AgentStartup {

    /** Guards the wait; the agent takes it to wake waiters. */
    private static final Object LOCK = new Object();

    /** Whether an agent has started and is not done yet; set by the agent before the application's main runs. */
    private static volatile boolean starting;

    private AgentStartup() {
    }

    /** Returns once no agent is starting: at once without one, or once it is done. */
    static void awaitStarted() {
        awaitWhile(() -> true);
    }

    /**
     * Returns once no agent is starting, or {@code stillWaiting} turns false; checked again each time the agent
     * wakes waiters.
     *
     * @param stillWaiting what is waited for has not happened yet
     */
    static void awaitWhile(BooleanSupplier stillWaiting) {
        if (!starting) {
            return;
        }
        boolean interrupted = false;
        synchronized (LOCK) {
            while (starting && stillWaiting.getAsBoolean()) {
                try {
                    LOCK.wait();
                } catch (InterruptedException e) {
                    // Start-up takes a second or two; an interrupt is kept for the caller, never lost or thrown.
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
