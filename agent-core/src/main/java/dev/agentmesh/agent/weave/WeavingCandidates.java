package dev.agentmesh.agent.weave;

import dev.agentmesh.agent.frameworks.FrameworkClasses;
import dev.agentmesh.agent.policy.ToolRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Tells from a class's name and class file alone, with no ByteBuddy (none of whose classes it loads) and no
 * parsing, whether {@link RingWeaver}
 * could weave it: the {@link StartupGate} holds such classes back until the weaver is ready. It must match every
 * class the weaver's type matchers match (it may match more: a class held back for nothing only waits):
 *
 * <ul>
 *   <li>classes whose constant pool names {@code @Ring}, {@code @OpensSaga}, {@code @SagaStep} or an annotation a
 *       policy rule names: a class carrying an annotation, or declaring a method that does, holds the annotation's
 *       descriptor ({@code Ldev/agentmesh/api/Ring;}) as a UTF-8 constant;</li>
 *   <li>classes a policy method rule's class pattern names;</li>
 *   <li>the frameworks' choke-point classes;</li>
 *   <li>unless the policy turns ring inheritance off, classes with a supertype (other than the JDK's) whose class
 *       file names {@code @Ring}, or that has such a supertype itself, read through the class's loader: a subclass
 *       is defined only once its superclass is, but its class file reaches the transformers before that, so a
 *       subclass of a class held back would otherwise be let through unwoven. A supertype whose class file cannot
 *       be read counts as one;</li>
 *   <li>the same way, classes that make lambdas ({@code LambdaMetafactory}) and name, as a type a method returns,
 *       an interface whose class file, or a supertype's, names {@code @Ring}: a lambda implementing a governed
 *       interface method is governed ({@link LambdaBodies}).</li>
 * </ul>
 */
public final class WeavingCandidates {

    private final byte[][] descriptors;
    private final byte[] ring;
    private final List<Pattern> classPatterns;
    private final Set<String> frameworkClasses;
    private final boolean ringInherited;
    /** Per initiating loader: whether the named class (internal name), or a supertype of it, names {@code @Ring}. */
    private final Map<ClassLoader, Map<String, Boolean>> ringAbove = new WeakHashMap<>();

    private static final byte[] LAMBDA_METAFACTORY = modifiedUtf8("java/lang/invoke/LambdaMetafactory");

    /** Deeper than any real hierarchy; a class file that claims a cycle stops here, counted as a candidate. */
    private static final int MAX_DEPTH = 64;

    /**
     * @param toolRules the policy's {@code tools:} section
     */
    public WeavingCandidates(ToolRules toolRules) {
        List<String> annotations = new ArrayList<>(List.of(RingAnnotation.NAME, SagaAnnotations.OPENS_SAGA,
                SagaAnnotations.SAGA_STEP));
        annotations.addAll(toolRules.annotationNames());
        this.descriptors = new byte[annotations.size()][];
        for (int i = 0; i < descriptors.length; i++) {
            descriptors[i] = modifiedUtf8("L" + annotations.get(i).replace('.', '/') + ";");
        }
        this.ring = descriptors[0];
        this.ringInherited = toolRules.ringInherited();
        this.classPatterns = toolRules.classPatterns();
        this.frameworkClasses = FrameworkClasses.WOVEN;
    }

    /**
     * @param loader the class's loader, through which its supertypes' class files are read
     * @param internalName the class's internal name ({@code com/acme/Tools})
     * @param classFile its class file
     * @return whether the weaver might weave it
     */
    public boolean mayWeave(ClassLoader loader, String internalName, byte[] classFile) {
        return mayWeaveItself(internalName, classFile)
                || ringInherited && (inheritsRing(loader, classFile, 0) || makesGovernedLambdas(loader, classFile));
    }

    /**
     * @param loader the class's loader
     * @param classFile its class file
     * @return whether it makes lambdas and names, as a returned type, an interface that names {@code @Ring} (or
     *         whose supertypes do): a lambda of it may implement a governed method
     */
    boolean makesGovernedLambdas(ClassLoader loader, byte[] classFile) {
        if (!contains(classFile, LAMBDA_METAFACTORY)) {
            return false;
        }
        try {
            for (String type : ClassFiles.returnedTypes(classFile)) {
                if (!StartupGate.isJdk(type) && ringAt(loader, type, 1)) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }

    private boolean mayWeaveItself(String internalName, byte[] classFile) {
        for (byte[] d : descriptors) {
            if (contains(classFile, d)) {
                return true;
            }
        }
        String name = internalName.replace('/', '.');
        if (frameworkClasses.contains(name)) {
            return true;
        }
        for (Pattern p : classPatterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    private boolean inheritsRing(ClassLoader loader, byte[] classFile, int depth) {
        List<String> supertypes;
        try {
            supertypes = ClassFiles.supertypes(classFile);
        } catch (IllegalArgumentException malformed) {
            // The JVM will refuse it; until then it is treated as one that might be woven.
            return true;
        }
        for (String supertype : supertypes) {
            if (!StartupGate.isJdk(supertype) && ringAt(loader, supertype, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param loader the loader to read through
     * @param internalName a class's internal name
     * @return whether its class file, or a supertype's, names {@code @Ring}; true if one cannot be read
     */
    boolean namesRing(ClassLoader loader, String internalName) {
        return ringAt(loader, internalName, 1);
    }

    private boolean ringAt(ClassLoader loader, String internalName, int depth) {
        Map<String, Boolean> known;
        synchronized (ringAbove) {
            known = ringAbove.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
        Boolean ringed = known.get(internalName);
        if (ringed == null) {
            ringed = depth > MAX_DEPTH || readsRing(loader, internalName, depth);
            known.put(internalName, ringed);
        }
        return ringed;
    }

    private boolean readsRing(ClassLoader loader, String internalName, int depth) {
        String resource = internalName + ".class";
        try (java.io.InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return true;
            }
            byte[] classFile = in.readAllBytes();
            return contains(classFile, ring) || inheritsRing(loader, classFile, depth);
        } catch (java.io.IOException | RuntimeException unreadable) {
            return true;
        }
    }

    /** As the class file's constant pool holds it: modified UTF-8, which differs from UTF-8 outside the BMP. */
    private static byte[] modifiedUtf8(String s) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeUTF(s);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot encode " + s, e);
        }
        byte[] withLength = bytes.toByteArray();
        return java.util.Arrays.copyOfRange(withLength, 2, withLength.length);
    }

    // By hand: the JDK has no byte-array search, and a library's would be loaded before the application's main.
    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
