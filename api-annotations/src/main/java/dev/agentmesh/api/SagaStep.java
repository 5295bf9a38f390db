package dev.agentmesh.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a tool method as a saga step. Called inside a method marked {@link OpensSaga} (on the same thread), it
 * becomes a step of that saga: recorded STARTED on the audit trail before its body runs and COMPLETED or FAILED
 * after, and undone by its compensation if the opening method throws. Called anywhere else, it is a plain method.
 *
 * <pre>{@code
 * @SagaStep(compensation = "cancel")
 * @Ring(2)
 * public Booking book(String route) { ... }
 *
 * void cancel(Booking booking) { ... }              // or cancel(String route), or cancel(Booking, String route)
 * }</pre>
 *
 * <p>The compensation is a method of the same class (any visibility, static if the step is static) that takes the
 * step's result, its arguments, or the result followed by the arguments. Those values are written to the trail in
 * the saga value codec, so after a crash {@link SagaRecovery#target(Object)} can call the compensation on a new
 * instance of the tools. When the step's outcome is unknown (the JVM died while it ran) the result parameter gets
 * {@code null}, or zero if it is primitive: the idempotency key ({@link Saga#currentStep()}) is then how the
 * compensation finds what to undo. A step called twice in one saga is two steps, the second named
 * {@code <name>.2}. The javaagent weaves the method; without it the annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SagaStep {

    /** @return the name of the compensation method in the same class; empty if the step needs no undoing */
    String compensation() default "";

    /** @return the step's name in the saga; empty for the method's name */
    String name() default "";
}
