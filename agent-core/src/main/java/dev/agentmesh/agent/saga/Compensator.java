package dev.agentmesh.agent.saga;

import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.CompensationFailedException;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.api.StepOptions;
import dev.agentmesh.audit.format.SagaEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Undoes a saga's steps, newest first or all at once, each compensation recorded STARTED before it runs and
 * COMPLETED or FAILED after, and retried with backoff. The same code serves a saga undoing itself and a later run
 * recovering it. An interrupt does not stop it: undoing is what must finish.
 */
final class Compensator {

    /**
     * One step to undo.
     *
     * @param step the step's name
     * @param key its idempotency key
     * @param compensation how to undo it
     * @param result what the step returned, or {@code null} if its outcome is unknown
     * @param options its retry settings
     * @param attemptsBefore how many attempts earlier runs made (recorded on the trail), so numbering continues
     */
    record Undo(String step, String key, Compensation<Object> compensation, Object result, StepOptions options,
            int attemptsBefore) {
    }

    private final SagaContext saga;

    Compensator(SagaContext saga) {
        this.saga = saga;
    }

    /**
     * @param undos the steps to undo, newest first
     * @param parallel whether to run them all at once
     * @return every compensation's final failure, in the order of {@code undos}; empty if all were undone
     * @throws dev.agentmesh.api.AuditUnavailableException if a transition cannot be recorded
     */
    List<Throwable> compensate(List<Undo> undos, boolean parallel) {
        boolean interrupted = Thread.interrupted(); // undo with a clear flag; restored below
        try {
            List<Throwable> failures = new ArrayList<>();
            if (!parallel) {
                for (Undo undo : undos) {
                    Throwable failure = undo(undo);
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
                return failures;
            }
            List<Future<Throwable>> running = new ArrayList<>();
            for (Undo undo : undos) {
                running.add(saga.pool().submit(() -> undo(undo)));
            }
            for (Throwable failure : Uninterruptibly.getAll(running)) {
                if (failure != null) {
                    failures.add(failure);
                }
            }
            return failures;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the last failure if every attempt failed, else {@code null} */
    private Throwable undo(Undo undo) {
        StepOptions options = undo.options();
        for (int n = 1; ; n++) {
            int attempt = Math.min(undo.attemptsBefore() + n, StepOptions.MAX_ATTEMPTS_LIMIT);
            saga.journal().step(SagaEvent.COMPENSATION_STARTED, undo.step(), attempt, -1, "", "");
            long start = System.nanoTime();
            try {
                saga.runCompensation(new StepContext(saga.id(), saga.name(), undo.step(), undo.key(), attempt, true),
                        undo.compensation(), undo.result());
                saga.journal().step(SagaEvent.COMPENSATION_COMPLETED, undo.step(), attempt,
                        System.nanoTime() - start, "", "");
                return null;
            } catch (Throwable e) {
                boolean retry = n < options.compensationAttempts();
                saga.journal().step(SagaEvent.COMPENSATION_FAILED, undo.step(), attempt, System.nanoTime() - start,
                        SagaJournal.describe(e), retry ? SagaJournal.RETRY : SagaJournal.FINAL);
                if (!retry) {
                    return new CompensationFailedException(saga.id(), undo.step(), e);
                }
                Uninterruptibly.sleep(options.backoffAfter(n).toNanos());
            }
        }
    }
}
