package dev.agentmesh.agent.saga;

import dev.agentmesh.agent.weave.SagaMethods;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.api.StepOptions;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.bootstrap.SagaWeaving;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sagas declared with annotations: an {@code @OpensSaga} method opens one on its thread, and each {@code @SagaStep}
 * method it calls there is a step, journaled as a programmatic saga's steps are and undone by its compensation
 * method if the opening method throws.
 */
public final class AnnotatedSagas implements SagaWeaving.Hooks {

    private static final Logger LOG = LoggerFactory.getLogger(AnnotatedSagas.class);

    /** The prefix of the compensation descriptor of an annotated step. */
    static final String METHOD_DESCRIPTOR = "method:";

    private final Sagas sagas;
    private final SagaMethods methods;
    private final long frameworkToken;
    private final ThreadLocal<ArrayDeque<Open>> open = ThreadLocal.withInitial(ArrayDeque::new);
    private final Map<Integer, CompensationMethod> compensations = new ConcurrentHashMap<>();

    /** A saga opened on a thread. */
    private static final class Open {
        final SagaContext context;
        final List<Compensator.Undo> done = new ArrayList<>();
        /** The methods of the steps in {@link #done}, index for index, as {@code class#name descriptor}. */
        final List<String> doneMethods = new ArrayList<>();
        final Map<String, Integer> uses = new HashMap<>();

        Open(SagaContext context) {
            this.context = context;
        }
    }

    /** A step whose body is running. */
    private record Step(Open saga, String name, String key, Compensation<Object> undo, Object[] args,
            long startNanos, StepContext previous, String method) {
    }

    /** A completed step a framework is compensating itself. */
    private record External(Open saga, Compensator.Undo undo, String method, int index, long startNanos) {
    }

    /**
     * @param sagas the sagas of this JVM
     * @param methods the woven saga methods
     * @param frameworkToken the token woven into the frameworks' choke points, which alone may take a step's undo
     *     over ({@link #externalCompensation})
     */
    public AnnotatedSagas(Sagas sagas, SagaMethods methods, long frameworkToken) {
        this.sagas = sagas;
        this.methods = methods;
        this.frameworkToken = frameworkToken;
    }

    /**
     * @return the id {@code methodToken} seals; the bridge is public, and a step recorded by code calling it itself
     *     would have its compensation run later for a call that never happened
     */
    private int wovenId(long methodToken) {
        int id = methods.idOf(methodToken);
        if (id < 0) {
            throw new SecurityException("saga method token " + methodToken + " was not woven by AgentMesh: only a "
                    + "woven saga method records itself");
        }
        return id;
    }

    @Override
    public Object open(long methodToken) {
        SagaMethods.SagaMethod method = methods.get(wovenId(methodToken));
        String id = sagas.newId(method.name());
        String agentId = AgentContext.currentAgent().orElse(null);
        Session session = AgentContext.currentSession().orElse(null);
        SagaContext context = sagas.context(id, method.name(), agentId, session, session == null ? "" : session.id(),
                null);
        context.journal().saga(SagaEvent.SAGA_STARTED, "saga " + method.name() + ", opened by "
                + method.className() + "#" + method.methodName() + (agentId == null ? "" : ", agent " + agentId),
                method.name() + "\n");
        Open saga = new Open(context);
        sagas.started(context);
        open.get().push(saga);
        return saga;
    }

    @Override
    public void close(Object token, Throwable thrown) {
        Open saga = (Open) token;
        open.get().remove(saga);
        SagaContext context = saga.context;
        try {
            if (thrown == null) {
                context.journal().saga(SagaEvent.SAGA_COMPLETED, saga.done.size() + " steps", "");
                return;
            }
            context.journal().saga(SagaEvent.SAGA_COMPENSATING, SagaJournal.describe(thrown), "");
            List<Compensator.Undo> undos = new ArrayList<>(saga.done);
            java.util.Collections.reverse(undos);
            List<Throwable> failures = new Compensator(context).compensate(undos, false);
            failures.forEach(thrown::addSuppressed);
            if (failures.isEmpty()) {
                context.journal().saga(SagaEvent.SAGA_COMPENSATED, undos.size() + " steps undone", "");
            } else {
                context.journal().saga(SagaEvent.SAGA_COMPENSATION_FAILED, failures.size() + " of " + undos.size()
                        + " compensations failed: an operator is needed", "");
            }
        } catch (RuntimeException e) {
            thrown = thrown == null ? e : thrown;
            LOG.error("saga {} could not be finished; it is left for recovery: {}", context.id(), e.toString());
        } finally {
            sagas.ended(context.id());
        }
    }

    @Override
    public Object enterStep(long methodToken, Class<?> type, Object target, Object[] args) {
        int methodId = wovenId(methodToken);
        Open saga = open.get().peek();
        if (saga == null) {
            return null;
        }
        AgentKilledError killed = saga.context.killed();
        if (killed != null) {
            throw killed; // no step starts in a killed saga; the opening method then undoes what ran
        }
        SagaMethods.SagaMethod method = methods.get(methodId);
        int use = saga.uses.merge(method.name(), 1, Integer::sum);
        String name = use == 1 ? method.name() : method.name() + "." + use; // a step called twice is two steps
        String key = saga.context.id() + ":" + name;
        CompensationMethod compensation = method.compensation().isEmpty() ? null
                : compensations.computeIfAbsent(methodId, id -> CompensationMethod.resolve(type,
                        method.methodName(), method.descriptor(), method.compensation()));
        String data = descriptor(method) + "\n" + key + "\n"
                + (compensation != null && compensation.takesArgs() ? "\n" + ValueCodec.encode(Arrays.asList(args))
                        : "");
        saga.context.journal().step(SagaEvent.STEP_STARTED, name, 1, -1, "", data);
        Compensation<Object> undo = compensation == null ? null
                : result -> compensation.invoke(target, result, args);
        StepContext previous = AgentSaga.bindStepContext(new StepContext(saga.context.id(), saga.context.name(),
                name, key, 1, false));
        return new Step(saga, name, key, undo, args, System.nanoTime(), previous,
                methodKey(method.className(), method.methodName(), method.descriptor()));
    }

    @Override
    public void exitStep(Object token, Object result, Throwable thrown) {
        Step step = (Step) token;
        AgentSaga.bindStepContext(step.previous());
        long took = System.nanoTime() - step.startNanos();
        SagaJournal journal = step.saga().context.journal();
        if (thrown != null) {
            journal.step(SagaEvent.STEP_FAILED, step.name(), 1, took, SagaJournal.describe(thrown),
                    SagaJournal.FINAL);
            return;
        }
        String data;
        String detail = "";
        try {
            data = ValueCodec.encode(result);
        } catch (IllegalArgumentException e) {
            // The method has returned: its outcome stands. Undo in this run gets the result from memory; a recovery
            // would get null.
            data = ValueCodec.encode(null);
            detail = "result not recordable: " + e.getMessage();
        }
        journal.step(SagaEvent.STEP_COMPLETED, step.name(), 1, took, detail, data);
        if (step.undo() != null) {
            step.saga().done.add(new Compensator.Undo(step.name(), step.key(), step.undo(), result,
                    StepOptions.defaults(), 0));
            step.saga().doneMethods.add(step.method());
        }
    }

    @Override
    public Object externalCompensation(long frameworkToken, java.lang.reflect.Method step,
            java.lang.reflect.Method compensation, String framework) {
        if (frameworkToken != this.frameworkToken) {
            // Code calling the bridge itself would have the saga skip an undo that nothing runs.
            throw new SecurityException("framework token " + frameworkToken + " was not woven by AgentMesh: only a "
                    + "framework's compensation takes a step's undo over");
        }
        try {
            Open saga = open.get().peek();
            if (saga == null) {
                return null;
            }
            String method = methodKey(step.getDeclaringClass().getName(), step.getName(),
                    new net.bytebuddy.description.method.MethodDescription.ForLoadedMethod(step).getDescriptor());
            int index = saga.doneMethods.lastIndexOf(method);
            if (index < 0) {
                return null;
            }
            Compensator.Undo undo = saga.done.get(index);
            // On the trail first: if this cannot be journaled, the saga keeps its own undo for the step.
            saga.context.journal().step(SagaEvent.COMPENSATION_STARTED, undo.step(), 1, -1, "by " + framework + ": "
                    + compensation.getDeclaringClass().getName() + "#" + compensation.getName(), "");
            // Out of the saga's own undo list before it runs, so no path runs it twice; back in if it fails.
            saga.done.remove(index);
            saga.doneMethods.remove(index);
            return new External(saga, undo, method, index, System.nanoTime());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("could not hand a step's compensation by {} to its saga; the saga keeps its own", framework, e);
            return null;
        }
    }

    @Override
    public void externalCompensationEnded(Object token, Throwable failure) {
        External external = (External) token;
        long took = System.nanoTime() - external.startNanos();
        if (failure != null) {
            // Back in the saga's undo list before anything else can fail: the saga compensates the step itself.
            int at = Math.min(external.index(), external.saga().done.size());
            external.saga().done.add(at, external.undo());
            external.saga().doneMethods.add(at, external.method());
        }
        try {
            SagaJournal journal = external.saga().context.journal();
            if (failure == null) {
                journal.step(SagaEvent.COMPENSATION_COMPLETED, external.undo().step(), 1, took, "", "");
            } else {
                journal.step(SagaEvent.COMPENSATION_FAILED, external.undo().step(), 1, took,
                        SagaJournal.describe(failure), "");
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.error("could not journal the end of step {}'s compensation", external.undo().step(), e);
        }
    }

    private static String methodKey(String className, String methodName, String descriptor) {
        return className + "#" + methodName + descriptor;
    }

    /**
     * @return the compensation descriptor of an annotated step: {@code method:<class>#<step method><descriptor>-><
     *     compensation>}, or {@value StepSpec#NO_COMPENSATION}
     */
    private static String descriptor(SagaMethods.SagaMethod method) {
        return method.compensation().isEmpty() ? StepSpec.NO_COMPENSATION
                : METHOD_DESCRIPTOR + method.className() + "#" + method.methodName() + method.descriptor() + "->"
                        + method.compensation();
    }
}
