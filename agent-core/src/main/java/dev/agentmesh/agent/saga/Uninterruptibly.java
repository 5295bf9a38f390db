package dev.agentmesh.agent.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits that an interrupt does not cut short: undoing a saga must finish even if its thread is interrupted. */
final class Uninterruptibly {

    private Uninterruptibly() {
    }

    /**
     * @param future what to wait for
     * @param <T> its result type
     * @return its result; the thread's interrupt status is restored afterwards if it was interrupted meanwhile
     * @throws ExecutionException if it failed
     */
    static <T> T get(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for every task, however often interrupted.
     *
     * @param futures the tasks
     * @param <T> their result type
     * @return their results, in order
     * @throws RuntimeException what the first failed task threw (wrapped if checked), with the other failures
     *     suppressed, once every task has finished
     */
    static <T> List<T> getAll(List<Future<T>> futures) {
        List<T> results = new ArrayList<>(futures.size());
        RuntimeException failure = null;
        for (Future<T> f : futures) {
            try {
                results.add(get(f));
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /**
     * Sleeps for the whole time, however often interrupted; the interrupt status is restored afterwards.
     *
     * @param nanos how long
     */
    static void sleep(long nanos) {
        long end = System.nanoTime() + nanos;
        boolean interrupted = false;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
