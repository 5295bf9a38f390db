package dev.agentmesh.agent.weave;

import dev.agentmesh.api.Ring;

/** Small classes carrying the real {@code @Ring}, for {@link RingAnnotationTest}. Never instantiated there. */
@SuppressWarnings("unused")
final class RingFixtures {

    private RingFixtures() {
    }

    /** Unannotated type with annotated methods; its annotated {@code compareTo} gets an annotated bridge. */
    static class MethodLevel implements Comparable<MethodLevel> {
        static int counter;

        static {
            counter = 1;
        }

        public MethodLevel() {
        }

        @Ring(1)
        public void guarded(String s) {
        }

        @Ring(2)
        void packagePrivateGuarded() {
        }

        @Ring(0)
        private static int privateStaticGuarded() {
            return 0;
        }

        public void plain() {
        }

        protected void plainProtected() {
        }

        @Ring(3)
        @Override
        public int compareTo(MethodLevel o) {
            return 0;
        }
    }

    /** Type-level ring: public methods without their own {@code @Ring} inherit it; bridges are skipped. */
    @Ring(2)
    public static class TypeLevel implements Comparable<TypeLevel> {
        static {
            System.getProperty("x");
        }

        public TypeLevel() {
        }

        TypeLevel(int x) {
        }

        public void a() {
        }

        public static void s() {
        }

        @Ring(0)
        public void own() {
        }

        @Ring(3)
        void ownNonPublic() {
        }

        void pkg() {
        }

        protected void prot() {
        }

        private void priv() {
        }

        public native void nat();

        @Ring(1)
        public native void annotatedNative();

        @Override
        public int compareTo(TypeLevel o) {
            return 0;
        }

        public Runnable lambda() {
            return () -> priv();
        }
    }

    /** Abstract methods are never woven; the concrete ones are. */
    @Ring(1)
    public abstract static class AbstractTools {
        public abstract void abs();

        @Ring(0)
        public abstract void absAnnotated();

        public void concrete() {
        }
    }

    /** Interface with annotated abstract and default methods. */
    public interface ToolApi {
        @Ring(2)
        void run();

        @Ring(1)
        default void def() {
        }

        static void st() {
        }
    }

    /** Interface with a type-level ring. */
    @Ring(3)
    public interface RingInterface {
        void abs();

        default void def() {
        }

        static void st() {
        }
    }

    /** Nothing governed. */
    public static class Plain {
        public Plain() {
        }

        public void x() {
        }

        public static void y() {
        }
    }

    /**
     * {@code @Ring} is not {@code @Inherited}: a subclass of a governed type carries nothing itself. Its override of
     * {@code a()} takes the type's ring through {@link RingInheritance}; {@code subMethod()} is its own and free.
     */
    public static class Sub extends TypeLevel {
        public void subMethod() {
        }

        @Override
        public void a() {
        }
    }

    /** Out-of-range rings fail closed to ring 0. */
    @Ring(7)
    public static class OutOfRange {
        public void inheritsSeven() {
        }

        @Ring(-1)
        public void negative() {
        }

        @Ring(9)
        public void nine() {
        }

        @Ring(3)
        public void valid() {
        }
    }
}
