package dev.agentmesh.agent.frameworks;

/**
 * One tool of one agent framework as the governor sees it, resolved once: the ring it requires, how its records
 * name it, and whether its method is woven itself. Immutable; the byte arrays are never modified.
 */
final class FrameworkTool {

    /** The ring the tool requires. */
    final int requiredRing;
    /** The id of the tool's method if that method is woven itself ({@code @Ring}, or named by policy), else -1. */
    final int wovenMethodId;
    final byte[] frameworkUtf8;
    final byte[] toolUtf8;
    final byte[] classUtf8;
    final byte[] methodUtf8;
    final byte[] descriptorUtf8;
    /** How a denial names the call. */
    final String displayName;

    FrameworkTool(int requiredRing, int wovenMethodId, byte[] frameworkUtf8, byte[] toolUtf8, byte[] classUtf8,
            byte[] methodUtf8, byte[] descriptorUtf8, String displayName) {
        this.requiredRing = requiredRing;
        this.wovenMethodId = wovenMethodId;
        this.frameworkUtf8 = frameworkUtf8;
        this.toolUtf8 = toolUtf8;
        this.classUtf8 = classUtf8;
        this.methodUtf8 = methodUtf8;
        this.descriptorUtf8 = descriptorUtf8;
        this.displayName = displayName;
    }
}
