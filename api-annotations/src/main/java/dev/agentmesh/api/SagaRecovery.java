package dev.agentmesh.api;

import java.util.List;
import java.util.Map;

/**
 * Finishes the sagas an earlier run of the application left unfinished: a run that died (a crash, a kill, a power
 * cut) while a saga was RUNNING or COMPENSATING. Get it from {@link Hypervisor#sagaRecovery()}, register the
 * compensations by saga and step name, then {@link #recover()}:
 *
 * <pre>{@code
 * Map<String, SagaState> recovered = Hypervisor.get().sagaRecovery()
 *         .compensation("trip", "flight", String.class, booking -> flights.cancel(booking))
 *         .compensation("trip", "hotel", String.class, booking -> hotels.cancel(booking))
 *         .compensation("trip", "charge", String.class, receipt -> cards.refund(receipt))
 *         .recover();
 * }</pre>
 *
 * <p>Recovery replays the audit trail, which is the saga journal: a step whose STARTED record has an outcome is
 * compensated with the result the trail holds (decoded by the saga value codec); a step STARTED with no outcome is
 * compensated with {@code null}, its outcome being unknown; a compensation recorded as completed is never run again;
 * one STARTED with no outcome runs again, so compensations must be idempotent under their key. A saga whose pivot had
 * completed is not compensated: it ends FAILED, for an operator. Thread-safe.
 */
public abstract class SagaRecovery {

    /** For the javaagent's implementation. */
    protected SagaRecovery() {
    }

    /**
     * Registers how to undo one step of sagas of one name after a restart.
     *
     * @param sagaName the saga's name, as given to {@link Session#saga}
     * @param step the step's name
     * @param resultType the step's result type: the value recovered from the trail must be of it
     * @param compensation how to undo the step
     * @param <T> the result type
     * @return this
     * @throws IllegalArgumentException if a name is malformed
     */
    public abstract <T> SagaRecovery compensation(String sagaName, String step, Class<T> resultType,
            Compensation<? super T> compensation);

    /**
     * Registers an object whose class declares {@link SagaStep} methods, so recovery can undo those steps by calling
     * their compensation methods on it, with the result and arguments the trail recorded.
     *
     * @param tools an instance of the class (or of a subclass) that declares the steps
     * @return this
     */
    public abstract SagaRecovery target(Object tools);

    /**
     * Reads the audit trail for sagas that earlier runs left unfinished.
     *
     * @return them, oldest first
     * @throws AuditUnavailableException if the trail cannot be read or does not verify
     */
    public abstract List<UnfinishedSaga> unfinished();

    /**
     * Compensates every unfinished saga from where it stopped, recorded on the trail (SAGA_RECOVERING, then each
     * compensation and the end state) with the saga's own id.
     *
     * @return each recovered saga's id and the state it ended in
     * @throws IllegalStateException if a step to compensate has no registered compensation; the sagas that have
     *     every compensation they need are recovered first, the others are left unfinished and named in the message
     * @throws AuditUnavailableException if the trail cannot be read or does not verify, or recovery cannot be
     *     recorded
     */
    public abstract Map<String, SagaState> recover();
}
