package dev.agentmesh.agent.weave;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every woven {@code @OpensSaga} and {@code @SagaStep} method an id, which the weaver bakes into the method as
 * a constant sealed into a token ({@link SealedIds}), and keeps what its annotation says. Sagas are not the hot path:
 * lookups take a lock.
 */
public final class SagaMethods {

    /**
     * One woven method.
     *
     * @param opensSaga whether it opens a saga ({@code @OpensSaga}) rather than being a step
     * @param className its declaring class's binary name
     * @param methodName its name
     * @param descriptor its JVM descriptor
     * @param name the saga's name (opening methods) or the step's name (steps)
     * @param compensation steps: the compensation method's name, empty if none; else empty
     */
    public record SagaMethod(boolean opensSaga, String className, String methodName, String descriptor, String name,
            String compensation) {
    }

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<SagaMethod> methods = new ArrayList<>();
    private final SealedIds seals = new SealedIds();

    /**
     * @param method a woven method
     * @return its id; the same method woven again gets the same id
     */
    public synchronized int register(SagaMethod method) {
        return ids.computeIfAbsent(method.className() + '#' + method.methodName() + method.descriptor()
                + (method.opensSaga() ? "/open" : "/step"), key -> {
                    methods.add(method);
                    return methods.size() - 1;
                });
    }

    /**
     * @param id an id this registry gave out
     * @return the token woven into the method
     */
    public long token(int id) {
        return seals.seal(id);
    }

    /**
     * @param token what woven code presented
     * @return the id of the method it names, or -1 if it is not a token this registry gave out
     */
    public synchronized int idOf(long token) {
        return seals.open(token, methods.size());
    }

    /**
     * @param id an id this registry gave out
     * @return the method
     */
    public synchronized SagaMethod get(int id) {
        return methods.get(id);
    }
}
