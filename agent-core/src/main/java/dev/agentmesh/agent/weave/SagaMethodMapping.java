package dev.agentmesh.agent.weave;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Binds {@link SagaMethodId} to a constant: the token of the id {@link SagaMethods} gives the method being woven. */
final class SagaMethodMapping implements Advice.OffsetMapping {

    private final SagaMethods registry;

    SagaMethodMapping(SagaMethods registry) {
        this.registry = registry;
    }

    @Override
    public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
            Assigner assigner, Advice.ArgumentHandler argumentHandler, Sort sort) {
        return Target.ForStackManipulation.of(
                registry.token(registry.register(SagaAnnotations.describe(instrumentedType, instrumentedMethod))));
    }
}
