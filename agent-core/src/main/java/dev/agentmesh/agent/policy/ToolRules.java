package dev.agentmesh.agent.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The policy's {@code tools:} section: the ring each tool requires, for tools that carry no {@code @Ring} of their
 * own (a method's own {@code @Ring} always wins over the policy). Immutable.
 *
 * <p>Which rule decides, most specific first:
 * <ol>
 *   <li>a rule naming the framework tool name exactly ({@code web_search});</li>
 *   <li>of the method patterns that match {@code class#method}, the one fixing the most characters (fewest
 *       wildcards); on a tie, the one listed first;</li>
 *   <li>a rule naming an annotation the method carries; if several do, the one listed first;</li>
 *   <li>otherwise the default tool ring ({@code defaults.toolRing}, 0 unless set: a tool nobody classified is open
 *       to system agents only).</li>
 * </ol>
 *
 * <p>It also says whether a method with no {@code @Ring} of its own takes the ring of the {@code @Ring} methods it
 * overrides or implements ({@code defaults.inheritRing}, {@code true} unless set).
 */
public final class ToolRules {

    /** The ring of a tool no rule names, unless the policy sets {@code defaults.toolRing}. */
    public static final int DEFAULT_TOOL_RING = 0;

    private static final ToolRules NONE = new ToolRules(List.of(), DEFAULT_TOOL_RING, true);

    private final List<ToolRule> rules;
    private final Map<String, ToolRule> byName = new HashMap<>();
    private final List<ToolRule> methodRules = new ArrayList<>();
    private final List<Pattern> methodPatterns = new ArrayList<>();
    private final Map<String, ToolRule> byAnnotation = new HashMap<>();
    private final int defaultRing;
    private final boolean ringInherited;

    /**
     * @param rules the rules, in file order
     * @param defaultRing the ring of a tool no rule names
     * @param ringInherited whether an override without {@code @Ring} takes the ring of the method it overrides
     * @throws IllegalArgumentException if two rules have the same key
     */
    public ToolRules(List<ToolRule> rules, int defaultRing, boolean ringInherited) {
        if (!Policy.isRing(defaultRing)) {
            throw new IllegalArgumentException("the default tool ring must be from 0 to 3, got " + defaultRing);
        }
        this.rules = List.copyOf(rules);
        this.defaultRing = defaultRing;
        this.ringInherited = ringInherited;
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (ToolRule r : this.rules) {
            if (!keys.add(r.key())) {
                throw new IllegalArgumentException("tool " + r.key() + " has two rules");
            }
            switch (r.kind()) {
                case NAME -> byName.put(r.key(), r);
                case METHOD -> {
                    methodRules.add(r);
                    methodPatterns.add(r.methodRegex());
                }
                case ANNOTATION -> byAnnotation.put(r.key().substring(1), r);
            }
        }
    }

    /** @return no rules, default ring {@value #DEFAULT_TOOL_RING} */
    public static ToolRules none() {
        return NONE;
    }

    /** @return the rules, in file order */
    public List<ToolRule> rules() {
        return rules;
    }

    /** @return the ring of a tool no rule names */
    public int defaultRing() {
        return defaultRing;
    }

    /**
     * @return whether a method with no {@code @Ring} of its own takes the ring of the {@code @Ring} methods it
     *         overrides or implements ({@code defaults.inheritRing})
     */
    public boolean ringInherited() {
        return ringInherited;
    }

    /** @return the patterns of the class names that method rules name, in file order */
    public List<java.util.regex.Pattern> classPatterns() {
        List<java.util.regex.Pattern> patterns = new java.util.ArrayList<>();
        for (ToolRule r : methodRules) {
            patterns.add(r.classRegex());
        }
        return patterns;
    }

    /** @return the binary names of the annotations that annotation rules name */
    public java.util.Set<String> annotationNames() {
        return java.util.Collections.unmodifiableSet(byAnnotation.keySet());
    }

    /** @return whether any rule names a method pattern or an annotation, so methods must be matched against them */
    public boolean matchesMethods() {
        return !methodRules.isEmpty() || !byAnnotation.isEmpty();
    }

    /**
     * The rule that decides a tool, most specific first (see the class).
     *
     * @param toolName the framework's name for the tool, or {@code null} if it has none (a plain method)
     * @param className the binary name of the method's class
     * @param methodName the method's name
     * @param annotations the binary names of the annotations on the method
     * @return the deciding rule, or {@code null} if none names it (the default ring applies)
     */
    public ToolRule decide(String toolName, String className, String methodName, Collection<String> annotations) {
        if (toolName != null) {
            ToolRule named = byName.get(toolName);
            if (named != null) {
                return named;
            }
        }
        ToolRule best = null;
        if (!methodRules.isEmpty()) {
            String target = className + "#" + methodName;
            for (int i = 0; i < methodRules.size(); i++) {
                ToolRule r = methodRules.get(i);
                if ((best == null || r.specificity() > best.specificity())
                        && methodPatterns.get(i).matcher(target).matches()) {
                    best = r;
                }
            }
        }
        if (best != null) {
            return best;
        }
        for (ToolRule r : rules) {
            if (r.kind() == ToolRule.Kind.ANNOTATION && annotations.contains(r.key().substring(1))) {
                return r;
            }
        }
        return null;
    }

    /**
     * @param toolName the framework's name for the tool, or {@code null}
     * @param className the binary name of the method's class
     * @param methodName the method's name
     * @param annotations the binary names of the annotations on the method
     * @return the ring the tool requires: its deciding rule's, else the default tool ring
     */
    public int ringOf(String toolName, String className, String methodName, Collection<String> annotations) {
        ToolRule r = decide(toolName, className, methodName, annotations);
        return r == null ? defaultRing : r.ring();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolRules other && rules.equals(other.rules) && defaultRing == other.defaultRing
                && ringInherited == other.ringInherited;
    }

    @Override
    public int hashCode() {
        return (rules.hashCode() * 31 + defaultRing) * 2 + (ringInherited ? 1 : 0);
    }

    @Override
    public String toString() {
        return "ToolRules{" + rules + ", default ring " + defaultRing + (ringInherited ? "" : ", not inherited") + '}';
    }
}
