package dev.agentmesh.agent.weave;

import dev.agentmesh.api.Ring;

/** Overrides and implementations of {@code @Ring} methods, for {@link RingInheritanceTest}. Never instantiated there. */
final class InheritanceFixtures {

    private InheritanceFixtures() {
    }

    /** An interface method carrying a ring. */
    public interface Payments {
        @Ring(1)
        String pay(String to);
    }

    /** Implements it with no annotation: ring 1. */
    public static class StripePayments implements Payments {
        @Override
        public String pay(String to) {
            return to;
        }

        public String refund(String to) {
            return to;
        }
    }

    /** Implements it with an annotation of its own, which wins. */
    public static class ExplicitPayments implements Payments {
        @Override
        @Ring(3)
        public String pay(String to) {
            return to;
        }
    }

    /** A class with one governed and one free method. */
    public static class Base {
        @Ring(0)
        public void wipe() {
        }

        public void free() {
        }

        @Ring(0)
        public static void staticWipe() {
        }

        @Ring(0)
        private void hidden() {
        }
    }

    /** Overrides both, overloads one, hides the static and private ones: only the override of wipe() inherits. */
    public static class Derived extends Base {
        @Override
        public void wipe() {
        }

        @Override
        public void free() {
        }

        public void wipe(int times) {
        }

        public static void staticWipe() {
        }

        private void hidden() {
        }
    }

    /** Two levels down, through an override that carries no annotation. */
    public static class Grand extends Derived {
        @Override
        public void wipe() {
        }
    }

    /** The same method through an interface that asks for less. */
    public interface Wiper {
        @Ring(2)
        void wipe();
    }

    /** Base says 0, Wiper says 2: the stricter, 0, wins across paths. */
    public static class Both extends Base implements Wiper {
        @Override
        public void wipe() {
        }
    }

    /** An override that relaxes the ring explicitly. */
    public static class Relaxed extends Base {
        @Override
        @Ring(2)
        public void wipe() {
        }
    }

    /** Below it, the nearest declaration on the path decides: 2. */
    public static class UnderRelaxed extends Relaxed {
        @Override
        public void wipe() {
        }
    }

    /** A generic interface method. */
    public interface Handler<T> {
        @Ring(2)
        String handle(T input);
    }

    /** A generic override: the compiler adds a bridge handle(Object), which is not woven. */
    public static class StringHandler implements Handler<String> {
        @Override
        public String handle(String input) {
            return input;
        }
    }

    /** Binds the type variable further down. */
    public abstract static class AbstractHandler<X extends Number> implements Handler<X> {
    }

    /** handle(Integer) overrides Handler<T>.handle(T) through AbstractHandler<Integer>. */
    public static class IntegerHandler extends AbstractHandler<Integer> {
        @Override
        public String handle(Integer input) {
            return String.valueOf(input);
        }

        public String handle(Long input) {
            return String.valueOf(input);
        }
    }

    /** A ring on the interface type: every method of it. */
    @Ring(3)
    public interface Reader {
        String read();
    }

    /** Implements it: ring 3. */
    public static class FileReader implements Reader {
        @Override
        public String read() {
            return "";
        }
    }

    /** A default method with a ring, and a class overriding it. */
    public interface Defaults {
        @Ring(1)
        default String describe() {
            return "default";
        }
    }

    /** Overrides the default: ring 1. */
    public static class OverridesDefault implements Defaults {
        @Override
        public String describe() {
            return "own";
        }
    }

    /** An enum whose constant has a body overriding the governed abstract method. */
    public enum Operation {
        WIPE {
            @Override
            public String run() {
                return "wiped";
            }
        };

        @Ring(0)
        public abstract String run();
    }

    /** Makes a lambda implementing the governed {@link Payments#pay}, and one implementing {@link Runnable}. */
    public static final class MakesLambdas {
        private MakesLambdas() {
        }

        public static Payments payments(String bank) {
            return to -> "paid " + to + " through " + bank;
        }

        public static Runnable plain() {
            return () -> { };
        }
    }

    /** Makes lambdas of JDK interfaces only. */
    public static final class MakesJdkLambdas {
        private MakesJdkLambdas() {
        }

        public static java.util.function.Function<String, String> upper() {
            return String::toUpperCase;
        }

        public static Runnable plain() {
            return () -> { };
        }
    }

    /** Sends payments: not governed itself. */
    public static final class Bank {
        public String send(String to) {
            return "sent " + to;
        }

        public static String wire(String to) {
            return "wired " + to;
        }
    }

    /** What {@link Opener} makes. */
    public static final class Receipt {
        private final String id;

        public Receipt(String id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "receipt " + id;
        }
    }

    /** A governed interface method that method references to a constructor implement. */
    public interface Opener {
        @Ring(2)
        Receipt open(String id);
    }

    /** Method references implementing governed interface methods, and one implementing Runnable. */
    public static final class MakesMethodReferences {
        private MakesMethodReferences() {
        }

        public static Payments bound(Bank bank) {
            return bank::send;
        }

        public static Payments unboundStatic() {
            return Bank::wire;
        }

        public static Opener constructor() {
            return Receipt::new;
        }

        public static Payments jdkMethod() {
            return String::trim;
        }

        public static Runnable notGoverned() {
            return System::lineSeparator;
        }
    }

    /** A serializable teller: a method reference to it can be serialized with its receiver. */
    public static final class Teller implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        public String send(String to) {
            return "told " + to;
        }
    }

    /**
     * Serializable method references implementing governed interface methods, one of them capturing its receiver,
     * and one to the same target implementing an interface that is not governed.
     */
    public static final class MakesSerializableMethodReferences {
        private MakesSerializableMethodReferences() {
        }

        public static Payments unbound() {
            return (Payments & java.io.Serializable) Bank::wire;
        }

        public static Payments bound(Teller teller) {
            return (Payments & java.io.Serializable) teller::send;
        }

        public static java.util.function.Function<String, String> notGoverned() {
            return (java.util.function.Function<String, String> & java.io.Serializable) Bank::wire;
        }

        public static Payments lambda() {
            return (Payments & java.io.Serializable) to -> "lambda " + to;
        }
    }

    /** Extends the JDK only. */
    public static class Unrelated extends java.util.ArrayList<String> implements Runnable {
        @Override
        public void run() {
        }
    }
}
