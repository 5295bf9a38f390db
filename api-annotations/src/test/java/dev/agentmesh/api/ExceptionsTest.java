package dev.agentmesh.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

/** The contract of the API's exceptions and annotation. */
class ExceptionsTest {

    @Test
    void aRingViolationNamesAgentRingMethodAndRequiredRing() {
        RingViolationException e = new RingViolationException("researcher-1", 2, "com.acme.Tools#write()V", 1);
        assertThat(e).isInstanceOf(SecurityException.class);
        assertThat(e.getMessage()).isEqualTo(
                "agent 'researcher-1' (ring 2) may not call com.acme.Tools#write()V, which requires ring 1");
        assertThat(e.agentId()).isEqualTo("researcher-1");
        assertThat(e.agentRing()).isEqualTo(2);
        assertThat(e.method()).isEqualTo("com.acme.Tools#write()V");
        assertThat(e.requiredRing()).isEqualTo(1);
        assertThat(e.toString()).endsWith(e.getMessage());
    }

    @Test
    void aRingViolationIsCheapUnlessAskedForAStackTrace() {
        assertThat(new RingViolationException("a", 3, "m", 0).getStackTrace()).isEmpty();
        RingViolationException traced = new RingViolationException("a", 3, "m", 0, true);
        assertThat(traced.getStackTrace()).isNotEmpty();
        assertThat(traced.getStackTrace()[0].getMethodName()).isEqualTo("aRingViolationIsCheapUnlessAskedForAStackTrace");
    }

    @Test
    void auditUnavailableIsASecurityExceptionWithItsCause() {
        IllegalStateException cause = new IllegalStateException("disk full");
        AuditUnavailableException e = new AuditUnavailableException("cannot write", cause);
        assertThat(e).isInstanceOf(SecurityException.class).hasMessage("cannot write").hasCause(cause);
    }

    @Test
    void ringIsARuntimeAnnotationOnMethodsAndTypesWithNamedConstants() {
        assertThat(Ring.class.getAnnotation(Retention.class).value()).isEqualTo(RetentionPolicy.RUNTIME);
        assertThat(Ring.class.getAnnotation(Target.class).value())
                .containsExactlyInAnyOrder(ElementType.METHOD, ElementType.TYPE);
        assertThat(new int[] {Ring.SYSTEM, Ring.TRUSTED, Ring.STANDARD, Ring.SANDBOXED}).containsExactly(0, 1, 2, 3);
    }
}
