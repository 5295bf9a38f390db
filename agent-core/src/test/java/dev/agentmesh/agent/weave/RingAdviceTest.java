package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.api.Ring;
import dev.agentmesh.bootstrap.Governance;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

/**
 * {@link RingAdvice} woven with the weaver's own advice set-up ({@link MethodIdMapping} + the
 * {@link RingAnnotation#governedMethods()} matcher) into a fixture, without an agent: the method id is registered
 * at weave time, and with no governor installed every governed method fails closed before its body runs while
 * ungoverned methods run as usual.
 */
class RingAdviceTest {

    private static final PolicyTools NO_POLICY_TOOLS = NoPolicy.tools();

    /** Woven into a child-first copy; counts which bodies ran. */
    public static class Target {
        public static final AtomicInteger GUARDED_RAN = new AtomicInteger();
        public static final AtomicInteger FREE_RAN = new AtomicInteger();

        @Ring(1)
        public String guarded(String s, int n) {
            GUARDED_RAN.incrementAndGet();
            return s + n;
        }

        public String free() {
            FREE_RAN.incrementAndGet();
            return "free";
        }
    }

    @Test
    void governedMethodsFailClosedWithoutAGovernorAndUngovernedOnesRun() throws Exception {
        assertThat(Governance.isInstalled()).as("agent-core tests never install a governor").isFalse();
        MethodRegistry registry = new MethodRegistry();
        Advice advice = Advice.withCustomMapping()
                .bind(GovernedMethodId.class, new MethodIdMapping(registry, NO_POLICY_TOOLS))
                .to(RingAdvice.class, ClassFileLocator.ForClassLoader.of(RingAdvice.class.getClassLoader()));

        Class<?> woven = new ByteBuddy().redefine(Target.class)
                .visit(advice.on(RingAnnotation.governedMethods()))
                .make()
                .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
        assertThat(woven).isNotSameAs(Target.class);

        assertThat(registry.size()).as("only guarded() was woven").isEqualTo(1);
        assertThat(registry.get(0).displayName())
                .isEqualTo(Target.class.getName() + "#guarded(Ljava/lang/String;I)Ljava/lang/String;");
        assertThat(registry.get(0).requiredRing()).isEqualTo(1);

        Object target = woven.getConstructor().newInstance();
        AtomicInteger guardedRan = (AtomicInteger) woven.getField("GUARDED_RAN").get(null);
        AtomicInteger freeRan = (AtomicInteger) woven.getField("FREE_RAN").get(null);

        Throwable t = catchThrowable(() -> woven.getMethod("guarded", String.class, int.class)
                .invoke(target, "x", 1));
        assertThat(t).isInstanceOf(InvocationTargetException.class);
        assertThat(t.getCause()).isInstanceOf(AuditUnavailableException.class).hasMessageContaining("not initialised");
        assertThat(guardedRan).as("the body never ran").hasValue(0);

        assertThat(woven.getMethod("free").invoke(target)).isEqualTo("free");
        assertThat(freeRan).hasValue(1);

        // the unwoven original still runs its body: the failure above comes from the advice
        assertThat(new Target().guarded("x", 1)).isEqualTo("x1");
        assertThat(Target.GUARDED_RAN).hasValue(1);
    }
}
