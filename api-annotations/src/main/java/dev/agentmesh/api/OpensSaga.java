package dev.agentmesh.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that runs a saga: every {@link SagaStep} method it calls, on its thread, is a step of a new saga of
 * this name, run as the agent (and in the session) in context when it is called. If the method returns, the saga is
 * COMPLETED; if it throws, the steps that completed are undone, newest first, by their compensations, and then the
 * exception propagates, with any compensation failure attached as suppressed.
 *
 * <pre>{@code
 * @OpensSaga("trip")
 * void bookTrip() {
 *     flights.book("LHR-JFK");   // @SagaStep(compensation = "cancel")
 *     hotels.book("NYC");        // @SagaStep(compensation = "cancel")
 *     cards.charge(1200);        // throws: the hotel, then the flight, are cancelled
 * }
 * }</pre>
 *
 * <p>Such a saga does not know its steps before they run, so if the JVM dies inside the method, recovery undoes
 * every step that may have had an effect. The javaagent weaves the method; without it the annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OpensSaga {

    /** @return the saga's name, following the id rule of {@link Ids}: recovery finds compensations by it */
    String value();
}
