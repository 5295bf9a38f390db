package dev.agentmesh.agent.frameworks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the advice parameter that receives, as a constant, the token the weaver bakes into the frameworks' choke
 * points ({@link dev.agentmesh.agent.weave.MethodRegistry#frameworkToken}): the bridge records a run of a Java method
 * or undoes a saga step only for code that presents it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface FrameworkToken {
}
