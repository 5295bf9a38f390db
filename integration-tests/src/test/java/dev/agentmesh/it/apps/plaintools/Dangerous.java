package dev.agentmesh.it.apps.plaintools;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A team's own marker annotation, which the policy's {@code tools:} section can name. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dangerous {
}
