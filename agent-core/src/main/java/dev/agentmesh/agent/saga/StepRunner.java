package dev.agentmesh.agent.saga;

import dev.agentmesh.api.SagaTimeoutException;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.api.StepOptions;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the actions of one saga's steps: each attempt recorded STARTED before it runs and COMPLETED or FAILED after,
 * retries with backoff, per-attempt timeouts and the saga's deadline.
 */
final class StepRunner {

    private static final long NO_LIMIT = Long.MAX_VALUE;

    private final SagaContext saga;
    private final long deadlineNanos;

    /**
     * @param saga the saga the steps belong to
     * @param startNanos when the saga started, by {@link System#nanoTime()}
     */
    StepRunner(SagaContext saga, long startNanos) {
        this.saga = saga;
        Duration deadline = saga.deadline();
        this.deadlineNanos = deadline == null ? 0 : startNanos + deadline.toNanos();
    }

    /**
     * Runs a group of steps at once on pool threads, and waits for all of them.
     *
     * @return their outcomes, in the group's order
     * @throws dev.agentmesh.api.AuditUnavailableException if a transition cannot be recorded
     */
    List<StepOutcome> runAll(List<StepSpec> group) {
        List<Future<StepOutcome>> running = new ArrayList<>(group.size());
        for (StepSpec step : group) {
            running.add(saga.pool().submit(() -> run(step)));
        }
        // run() catches what actions throw; what escapes it is the journal failing
        return Uninterruptibly.getAll(running);
    }

    /**
     * Runs one step's action until it completes, fails for good, or runs out of attempts or time.
     *
     * @return its outcome
     * @throws dev.agentmesh.api.AuditUnavailableException if a transition cannot be recorded
     */
    StepOutcome run(StepSpec step) {
        StepOptions options = step.options();
        String key = step.idempotencyKey(saga.id());
        String startedData = step.descriptor(saga.name()) + "\n" + key + "\n" + step.flags();
        boolean unknown = false;
        for (int attempt = 1; ; attempt++) {
            Throwable killed = saga.killed();
            if (killed != null) {
                saga.journal().step(SagaEvent.STEP_FAILED, step.name(), attempt, -1, SagaJournal.describe(killed),
                        SagaJournal.FINAL + (unknown ? SagaJournal.UNKNOWN : ""));
                return StepOutcome.failed(step, killed, unknown);
            }
            long remaining = deadlineNanos == 0 ? NO_LIMIT : deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                SagaTimeoutException late = new SagaTimeoutException(saga.id(), step.name(), saga.deadline(), true);
                saga.journal().step(SagaEvent.STEP_FAILED, step.name(), attempt, -1, SagaJournal.describe(late),
                        SagaJournal.FINAL + (unknown ? SagaJournal.UNKNOWN : ""));
                return StepOutcome.failed(step, late, unknown);
            }
            saga.journal().step(SagaEvent.STEP_STARTED, step.name(), attempt, -1, "", startedData);
            long start = System.nanoTime();
            Object result = null;
            Throwable failure = null;
            boolean timedOut = false;
            try {
                result = invoke(step, new StepContext(saga.id(), saga.name(), step.name(), key, attempt, false),
                        options.timeout(), remaining);
            } catch (SagaTimeoutException e) {
                failure = e;
                timedOut = true;
            } catch (Throwable e) {
                failure = e;
            }
            long took = System.nanoTime() - start;
            if (failure == null) {
                String data;
                try {
                    data = recordable(step, result);
                } catch (IllegalArgumentException e) {
                    // It ran and we hold its result, but a restart could not hand it to the compensation.
                    saga.journal().step(SagaEvent.STEP_FAILED, step.name(), attempt, took, SagaJournal.describe(e),
                            SagaJournal.FINAL + SagaJournal.UNKNOWN);
                    return StepOutcome.unrecordable(step, e, result);
                }
                saga.journal().step(SagaEvent.STEP_COMPLETED, step.name(), attempt, took, "", data);
                return StepOutcome.completed(step, result);
            }
            unknown |= timedOut;
            boolean retry = attempt < options.maxAttempts() && options.retries(failure)
                    && !Thread.currentThread().isInterrupted() && saga.killed() == null;
            Duration wait = options.backoffAfter(attempt);
            if (retry && deadlineNanos != 0 && System.nanoTime() + wait.toNanos() - deadlineNanos >= 0) {
                retry = false;
                failure.addSuppressed(new SagaTimeoutException(saga.id(), step.name(), saga.deadline(), true));
            }
            saga.journal().step(SagaEvent.STEP_FAILED, step.name(), attempt, took, SagaJournal.describe(failure),
                    (retry ? SagaJournal.RETRY : SagaJournal.FINAL) + (timedOut ? SagaJournal.UNKNOWN : ""));
            if (!retry || !backOff(wait)) {
                return StepOutcome.failed(step, failure, unknown);
            }
        }
    }

    private static String recordable(StepSpec step, Object result) {
        String data = ValueCodec.encode(result);
        if (Utf8.encode(data).length > TrailFormat.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("step " + step.name() + " returned a value longer than the "
                    + TrailFormat.MAX_STRING_BYTES + " bytes a trail record holds");
        }
        return data;
    }

    /**
     * Runs the action as the saga's agent in its session, on this thread, or on a pool thread when a time limit
     * applies (the only way to stop waiting for an action that does not return).
     */
    private Object invoke(StepSpec step, StepContext context, Duration timeout, long remainingNanos)
            throws Throwable {
        Callable<Object> body = () -> saga.runStep(context, step.action());
        boolean byDeadline = remainingNanos != NO_LIMIT && (timeout == null || remainingNanos < timeout.toNanos());
        long limit = byDeadline ? remainingNanos : timeout == null ? NO_LIMIT : timeout.toNanos();
        if (limit == NO_LIMIT) {
            return body.call();
        }
        Future<Object> running = saga.pool().submit(body);
        try {
            return running.get(limit, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            throw new SagaTimeoutException(saga.id(), step.name(), byDeadline ? saga.deadline() : timeout,
                    byDeadline);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** @return false if interrupted while waiting */
    private static boolean backOff(Duration wait) {
        try {
            TimeUnit.NANOSECONDS.sleep(wait.toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
