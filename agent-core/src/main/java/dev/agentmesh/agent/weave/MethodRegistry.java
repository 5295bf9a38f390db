package dev.agentmesh.agent.weave;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives every woven method a small integer id, which the weaver bakes into the method as a constant, sealed into a
 * token ({@link SealedIds}), so a governed call finds its metadata with one array read and code calling the bridge
 * itself cannot name a method. Registration happens at class-load time; lookups are lock-free.
 *
 * <p>The same method woven again (retransformation, or the same class in another class loader) with the same
 * required ring gets the same id.
 */
public final class MethodRegistry {

    private final Map<String, Integer> ids = new HashMap<>();
    private final SealedIds methodSeals = new SealedIds();
    private final SealedIds frameworkSeals = new SealedIds();
    private final long frameworkToken = frameworkSeals.seal(0);
    private volatile GovernedMethod[] methods = new GovernedMethod[64];
    private int size;

    /**
     * @param className binary class name
     * @param methodName method name
     * @param descriptor JVM descriptor
     * @param requiredRing ring the method requires
     * @return the method's id
     */
    public synchronized int register(String className, String methodName, String descriptor, int requiredRing) {
        GovernedMethod method = new GovernedMethod(className, methodName, descriptor, requiredRing);
        Integer known = ids.get(method.key());
        if (known != null) {
            return known;
        }
        GovernedMethod[] current = methods;
        if (size == current.length) {
            current = Arrays.copyOf(current, size * 2);
        }
        current[size] = method;
        ids.put(method.key(), size);
        methods = current; // publish after the slot is filled
        return size++;
    }

    /**
     * @param id an id this registry gave out
     * @return the token woven into the method, which its governed calls present
     */
    public long token(int id) {
        return methodSeals.seal(id);
    }

    /**
     * @param token what a governed call presented
     * @return the id of the method it names, or -1 if it is not a token this registry gave out
     */
    public int idOf(long token) {
        GovernedMethod[] current = methods;
        int id = methodSeals.open(token, current.length);
        return id >= 0 && current[id] != null ? id : -1;
    }

    /**
     * @return the token woven into the agent frameworks' tool choke points: a framework tool call that names the Java
     *     method it runs must present it, so code calling the bridge itself cannot record a run of a method
     */
    public long frameworkToken() {
        return frameworkToken;
    }

    /**
     * @param id an id this registry gave out
     * @return the method
     */
    public GovernedMethod get(int id) {
        return methods[id];
    }

    /**
     * @param className binary class name
     * @param methodName method name
     * @param descriptor JVM descriptor
     * @return the id of that method if it is woven, else -1
     */
    public synchronized int find(String className, String methodName, String descriptor) {
        // A scan, not a map: asked once per framework tool, and the same method woven under two rings (a policy
        // reload between class loads) must give its newest id.
        for (int i = size - 1; i >= 0; i--) {
            GovernedMethod m = methods[i];
            if (m.className().equals(className) && m.methodName().equals(methodName)
                    && m.descriptor().equals(descriptor)) {
                return i;
            }
        }
        return -1;
    }

    /** @return how many methods are registered */
    public synchronized int size() {
        return size;
    }
}
