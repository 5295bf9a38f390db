package dev.agentmesh.agent.weave;

import dev.agentmesh.audit.format.Utf8;

/**
 * A woven method as the trail names it, with its strings encoded once so the hot path never encodes.
 */
public final class GovernedMethod {

    private final String className;
    private final String methodName;
    private final String descriptor;
    private final int requiredRing;
    private final String displayName;
    final byte[] classNameUtf8;
    final byte[] methodNameUtf8;
    final byte[] descriptorUtf8;

    GovernedMethod(String className, String methodName, String descriptor, int requiredRing) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.requiredRing = requiredRing;
        this.displayName = className + '#' + methodName + descriptor;
        this.classNameUtf8 = Utf8.encode(className);
        this.methodNameUtf8 = Utf8.encode(methodName);
        this.descriptorUtf8 = Utf8.encode(descriptor);
    }

    /** @return the declaring class's binary name */
    public String className() {
        return className;
    }

    /** @return the method name */
    public String methodName() {
        return methodName;
    }

    /** @return the JVM descriptor */
    public String descriptor() {
        return descriptor;
    }

    /** @return the ring the method requires */
    public int requiredRing() {
        return requiredRing;
    }

    /** @return {@code class#name(descriptor)}, as denials name the method */
    public String displayName() {
        return displayName;
    }

    /** @return the class name, UTF-8; do not modify */
    public byte[] classNameUtf8() {
        return classNameUtf8;
    }

    /** @return the method name, UTF-8; do not modify */
    public byte[] methodNameUtf8() {
        return methodNameUtf8;
    }

    /** @return the descriptor, UTF-8; do not modify */
    public byte[] descriptorUtf8() {
        return descriptorUtf8;
    }

    String key() {
        return displayName + '@' + requiredRing;
    }
}
