package dev.agentmesh.agent.weave;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Binds {@link GovernedMethodId} to a constant: the token of the id the {@link MethodRegistry} gives the method being
 * woven.
 * Registration happens here, at weave time, so the governed call never looks anything up by name.
 */
final class MethodIdMapping implements Advice.OffsetMapping {

    private final MethodRegistry registry;
    private final PolicyTools tools;

    MethodIdMapping(MethodRegistry registry, PolicyTools tools) {
        this.registry = registry;
        this.tools = tools;
    }

    @Override
    public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
            Assigner assigner, Advice.ArgumentHandler argumentHandler, Sort sort) {
        int id = registry.register(instrumentedType.getName(), instrumentedMethod.getInternalName(),
                instrumentedMethod.getDescriptor(), tools.requiredRing(instrumentedType, instrumentedMethod));
        return Target.ForStackManipulation.of(registry.token(id));
    }
}
