package dev.agentmesh.agent.saga;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.SagaRecovery;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.StepOptions;
import dev.agentmesh.api.UnfinishedSaga;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.TrailQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The javaagent's {@link SagaRecovery}: replays the trail (verifying its chain on the way) to find the sagas earlier
 * runs left unfinished, and undoes them with the compensations the application registered by name.
 */
final class AgentSagaRecovery extends SagaRecovery {

    /** A registered compensation, the type its recovered result must have, and where to find result classes. */
    private record Handler(Class<?> type, Compensation<Object> compensation, ClassLoader loader) {
    }

    private final Sagas sagas;
    private final AuditTrail trail;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Object> targets = new java.util.concurrent.CopyOnWriteArrayList<>();

    AgentSagaRecovery(Sagas sagas, AuditTrail trail) {
        this.sagas = sagas;
        this.trail = trail;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SagaRecovery compensation(String sagaName, String step, Class<T> resultType,
            Compensation<? super T> compensation) {
        Ids.require("sagaName", sagaName);
        Ids.require("step", step);
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(compensation, "compensation");
        ClassLoader loader = compensation.getClass().getClassLoader();
        handlers.put(sagaName + "/" + step, new Handler(box(resultType), (Compensation<Object>) compensation,
                loader != null ? loader : Thread.currentThread().getContextClassLoader()));
        return this;
    }

    @Override
    public SagaRecovery target(Object tools) {
        targets.add(Objects.requireNonNull(tools, "tools"));
        return this;
    }

    @Override
    public List<UnfinishedSaga> unfinished() {
        List<UnfinishedSaga> found = new ArrayList<>();
        for (SagaReplay.SagaRecord saga : replay()) {
            found.add(new UnfinishedSaga(saga.id, saga.name, saga.sessionId, saga.agentId, saga.state(),
                    saga.allCompleted() || saga.pivotCompleted != null && !saga.compensating ? List.of()
                            : saga.toUndo().stream().map(s -> s.name).toList()));
        }
        return found;
    }

    @Override
    public synchronized Map<String, SagaState> recover() {
        Map<String, SagaState> recovered = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (SagaReplay.SagaRecord saga : replay()) {
            SagaContext context = sagas.context(saga.id, saga.name, saga.agentId.isEmpty() ? null : saga.agentId,
                    null, saga.sessionId, null);
            if (saga.allCompleted()) {
                context.journal().saga(SagaEvent.SAGA_RECOVERING, recoveredBy() + ": every step had completed", "");
                context.journal().saga(SagaEvent.SAGA_COMPLETED, saga.defined.size() + " steps", "");
                recovered.put(saga.id, SagaState.COMPLETED);
                continue;
            }
            if (saga.pivotCompleted != null && !saga.compensating) {
                context.journal().saga(SagaEvent.SAGA_RECOVERING, recoveredBy() + ": its pivot "
                        + saga.pivotCompleted + " had completed, so nothing is compensated", "");
                context.journal().saga(SagaEvent.SAGA_FAILED, "interrupted after its pivot " + saga.pivotCompleted
                        + " completed; the steps after it need an operator", "");
                recovered.put(saga.id, SagaState.FAILED);
                continue;
            }
            List<Compensator.Undo> undos = new ArrayList<>();
            String problem = undos(saga, undos);
            if (problem != null) {
                problems.add(saga.id + " (" + saga.name + "): " + problem);
                continue;
            }
            context.journal().saga(SagaEvent.SAGA_RECOVERING, recoveredBy() + ", " + saga.state() + ": undoing "
                    + undos.stream().map(Compensator.Undo::step).toList(), "");
            List<Throwable> failures = new Compensator(context).compensate(undos, false);
            if (failures.isEmpty()) {
                context.journal().saga(SagaEvent.SAGA_COMPENSATED, undos.size() + " steps undone on recovery", "");
                recovered.put(saga.id, SagaState.COMPENSATED);
            } else {
                context.journal().saga(SagaEvent.SAGA_COMPENSATION_FAILED, failures.size() + " of " + undos.size()
                        + " compensations failed on recovery: an operator is needed", "");
                recovered.put(saga.id, SagaState.COMPENSATION_FAILED);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("left " + problems.size() + " saga(s) unfinished: "
                    + String.join("; ", problems));
        }
        return recovered;
    }

    /** Fills {@code undos} for a saga; returns why it cannot be recovered yet, or {@code null}. */
    private String undos(SagaReplay.SagaRecord saga, List<Compensator.Undo> undos) {
        for (SagaReplay.StepRecord step : saga.toUndo()) {
            Handler handler = handlers.get(saga.name + "/" + step.name);
            if (handler == null && step.descriptor.startsWith(AnnotatedSagas.METHOD_DESCRIPTOR)) {
                try {
                    handler = methodHandler(step);
                } catch (RuntimeException e) {
                    return "step " + step.name + ": " + e.getMessage();
                }
            }
            if (handler == null) {
                return "no compensation registered for step " + step.name + "; register it with compensation(\""
                        + saga.name + "\", \"" + step.name + "\", type, undo)"
                        + (step.descriptor.startsWith(AnnotatedSagas.METHOD_DESCRIPTOR)
                                ? " or register the tools declaring it with target(tools)" : "");
            }
            Object result = null;
            if (step.completed) {
                try {
                    result = ValueCodec.decode(step.result, handler.loader());
                } catch (IllegalArgumentException e) {
                    return "the result of step " + step.name + " cannot be read back: " + e.getMessage();
                }
                if (result != null && !handler.type().isInstance(result)) {
                    return "step " + step.name + " returned a " + result.getClass().getName()
                            + ", but its compensation was registered for " + handler.type().getName();
                }
            }
            undos.add(new Compensator.Undo(step.name, step.key, handler.compensation(), result,
                    StepOptions.defaults(), step.compensationAttempts));
        }
        return null;
    }

    /**
     * The compensation of an annotated step, on a registered target: the descriptor reads {@code
     * method:<class>#<step method><descriptor>-><compensation>}; the arguments, when it takes them, are on the trail.
     *
     * @return the handler, or {@code null} if no registered target is of the step's class
     */
    private Handler methodHandler(SagaReplay.StepRecord step) {
        String d = step.descriptor.substring(AnnotatedSagas.METHOD_DESCRIPTOR.length());
        int hash = d.indexOf('#');
        int paren = d.indexOf('(', hash);
        int arrow = d.lastIndexOf("->");
        if (hash < 0 || paren < 0 || arrow < paren) {
            throw new IllegalStateException("malformed compensation descriptor " + step.descriptor);
        }
        String className = d.substring(0, hash);
        for (Object target : targets) {
            for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
                if (!c.getName().equals(className)) {
                    continue;
                }
                CompensationMethod method = CompensationMethod.resolve(c, d.substring(hash + 1, paren),
                        d.substring(paren, arrow), d.substring(arrow + 2));
                Object[] args = new Object[0];
                if (method.takesArgs()) {
                    if (step.args.isEmpty()) {
                        throw new IllegalStateException("its compensation takes the arguments, which the trail "
                                + "does not hold");
                    }
                    args = ((List<?>) ValueCodec.decode(step.args, c.getClassLoader())).toArray();
                }
                Object[] callArgs = args;
                Class<?> type = method.takesResult() ? method.method().getParameterTypes()[0] : Object.class;
                return new Handler(box(type), result -> method.invoke(target, result, callArgs), c.getClassLoader());
            }
        }
        return null;
    }

    private static Class<?> box(Class<?> c) {
        return c.isPrimitive() ? java.lang.invoke.MethodType.methodType(c).wrap().returnType() : c;
    }

    private String recoveredBy() {
        return "recovered by writer " + trail.writerId();
    }

    /** Reads the whole trail, verifying the chain, into the sagas no run finished. */
    private List<SagaReplay.SagaRecord> replay() {
        SagaReplay replay = new SagaReplay();
        ChainVerifier verifier = new ChainVerifier();
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(AgentSagaRecovery.class.getClassLoader()); // Chronicle loads through it
        try (SingleChronicleQueue queue = TrailQueue.openForReading(trail.dir())) {
            TrailQueue.readAll(queue, (stored, length, index) -> {
                replay.accept(verifier.accept(stored, length));
                return true;
            });
        } catch (ChainBreak e) {
            throw new AuditUnavailableException("the audit trail in " + trail.dir() + " does not verify at record "
                    + e.index() + " (" + e.reason() + "), so the saga journal cannot be trusted; recovery refused", e);
        } catch (Exception e) {
            throw new AuditUnavailableException("cannot read the audit trail in " + trail.dir()
                    + " to recover sagas: " + e, e);
        } finally {
            thread.setContextClassLoader(saved);
        }
        return replay.unfinished(sagas.running());
    }
}
