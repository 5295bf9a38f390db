package dev.agentmesh.agent.saga;

import dev.agentmesh.api.SagaState;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the sagas on a trail from their SAGA records, in trail order, to find the ones no run finished and what
 * each still needs undone. Pure: it reads records and touches nothing else.
 */
final class SagaReplay {

    /** One step as the trail tells it. */
    static final class StepRecord {
        final String name;
        String descriptor = StepSpec.NO_COMPENSATION;
        String key = "";
        boolean pivot;
        boolean completed;
        String result = "";
        /** The step's arguments in the saga value codec (annotated steps whose compensation takes them), or empty. */
        String args = "";
        boolean mayHaveActed;
        boolean awaitingOutcome;
        boolean compensated;
        int compensationAttempts;

        StepRecord(String name) {
            this.name = name;
        }

        /** @return whether recovery must run its compensation */
        boolean needsUndo() {
            return !compensated && !StepSpec.NO_COMPENSATION.equals(descriptor)
                    && (completed || mayHaveActed || awaitingOutcome);
        }
    }

    /** One saga as the trail tells it. */
    static final class SagaRecord {
        final String id;
        final String name;
        final String sessionId;
        final String agentId;
        final List<String> defined;
        final Map<String, StepRecord> steps = new LinkedHashMap<>();
        boolean compensating;
        boolean ended;
        String pivotCompleted;

        SagaRecord(String id, String name, List<String> defined, String sessionId, String agentId) {
            this.id = id;
            this.defined = defined;
            this.name = name;
            this.sessionId = sessionId;
            this.agentId = agentId;
        }

        /** @return RUNNING or COMPENSATING: where the run that stopped had got to */
        SagaState state() {
            return compensating ? SagaState.COMPENSATING : SagaState.RUNNING;
        }

        /** @return whether every step the saga defined completed: only its end record is missing */
        boolean allCompleted() {
            if (compensating || defined.isEmpty()) {
                return false;
            }
            for (String step : defined) {
                StepRecord r = steps.get(step);
                if (r == null || !r.completed) {
                    return false;
                }
            }
            return true;
        }

        /** @return the steps to undo, newest first */
        List<StepRecord> toUndo() {
            List<StepRecord> undo = new ArrayList<>();
            for (StepRecord step : steps.values()) {
                if (step.needsUndo()) {
                    undo.add(0, step);
                }
            }
            return undo;
        }
    }

    private final Map<String, SagaRecord> sagas = new LinkedHashMap<>();

    /**
     * Takes in one record of the trail; records of other types are ignored.
     *
     * @param r the next record, in trail order
     */
    void accept(AuditRecord r) {
        if (r.type() != RecordType.SAGA_EVENT) {
            return;
        }
        if (r.sagaEvent() == dev.agentmesh.audit.format.SagaEvent.SAGA_STARTED) {
            // data: the saga's name, a newline, its step names comma-separated
            String[] lines = r.data().split("\n", -1);
            List<String> defined = lines.length > 1 && !lines[1].isEmpty() ? List.of(lines[1].split(",")) : List.of();
            sagas.put(r.sagaId(), new SagaRecord(r.sagaId(), lines[0], defined, r.sessionId(), r.agentId()));
            return;
        }
        SagaRecord saga = sagas.get(r.sagaId());
        if (saga == null) {
            return; // its start is before the trail's first record, or it is damage the verifier already judged
        }
        StepRecord step = r.step().isEmpty() ? null : saga.steps.computeIfAbsent(r.step(), StepRecord::new);
        switch (r.sagaEvent()) {
            case STEP_STARTED -> {
                // data: descriptor, key, flags, and for some annotated steps the arguments (which may hold newlines)
                String[] lines = r.data().split("\n", 4);
                step.descriptor = lines[0];
                step.key = lines.length > 1 ? lines[1] : "";
                step.pivot = lines.length > 2 && List.of(lines[2].split(",")).contains("pivot");
                step.args = lines.length > 3 ? lines[3] : "";
                step.awaitingOutcome = true;
            }
            case STEP_COMPLETED -> {
                step.awaitingOutcome = false;
                step.completed = true;
                step.result = r.data();
                if (step.pivot) {
                    saga.pivotCompleted = step.name;
                }
            }
            case STEP_FAILED -> {
                step.awaitingOutcome = false;
                step.mayHaveActed |= r.data().endsWith(SagaJournal.UNKNOWN);
            }
            case COMPENSATION_STARTED, COMPENSATION_FAILED ->
                    step.compensationAttempts = Math.max(step.compensationAttempts, r.attempt());
            case COMPENSATION_COMPLETED -> step.compensated = true;
            case SAGA_COMPENSATING, SAGA_RECOVERING -> saga.compensating = true;
            case SAGA_COMPLETED, SAGA_COMPENSATED, SAGA_FAILED, SAGA_COMPENSATION_FAILED -> saga.ended = true;
            default -> {
            }
        }
    }

    /**
     * @param running ids of sagas this run is executing now, which are not unfinished but under way
     * @return the sagas no run finished, oldest first
     */
    List<SagaRecord> unfinished(Set<String> running) {
        List<SagaRecord> unfinished = new ArrayList<>();
        for (SagaRecord saga : sagas.values()) {
            if (!saga.ended && !running.contains(saga.id)) {
                unfinished.add(saga);
            }
        }
        return unfinished;
    }
}
