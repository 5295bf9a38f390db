package dev.agentmesh.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the execution ring a tool method requires.
 *
 * <p>Rings run from {@code 0} (most privileged) to {@code 3} (least):
 * <ul>
 *   <li>{@link #SYSTEM} 0: system</li>
 *   <li>{@link #TRUSTED} 1: trusted</li>
 *   <li>{@link #STANDARD} 2: standard</li>
 *   <li>{@link #SANDBOXED} 3: sandboxed</li>
 * </ul>
 * An agent holding ring {@code r} may call a method annotated {@code @Ring(m)} only if {@code r <= m}.
 *
 * <p>On a method, the annotation governs that method. On a type, it governs every public method the type
 * declares that carries no {@code @Ring} of its own.
 *
 * <p>A method that overrides or implements a governed method, and carries no {@code @Ring} of its own, requires
 * the same ring: a subclass's override, an implementation of an interface method, a generic override (not its
 * bridge), an override of a default method, an enum constant's body, and a lambda or a method reference that
 * implements a governed interface method (its body, or a bridge the agent gives the reference, is what is governed).
 * Along each path up the hierarchy the nearest
 * declaration decides; across paths (the superclass and each interface) the strictest. A policy may turn this off
 * ({@code defaults: {inheritRing: false}}). An override that calls {@code super} is two governed calls, each
 * decided and recorded.
 *
 * <p>The annotation does nothing by itself: the AgentMesh javaagent weaves the check into the body of every
 * annotated method, so a call through reflection or a {@code MethodHandle} is governed exactly like a direct
 * call. The agent matches the annotation by name and never loads it to decide.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Ring {

    /** Ring 0: system. */
    int SYSTEM = 0;
    /** Ring 1: trusted. */
    int TRUSTED = 1;
    /** Ring 2: standard. */
    int STANDARD = 2;
    /** Ring 3: sandboxed. */
    int SANDBOXED = 3;

    /**
     * The ring required to call the method, from {@code 0} (system) to {@code 3} (sandboxed).
     *
     * @return the required ring
     */
    int value();
}
