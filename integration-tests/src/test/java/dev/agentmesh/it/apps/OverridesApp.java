package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;

/**
 * Calls overrides and implementations of {@code @Ring} methods that carry no {@code @Ring} themselves, the way a
 * framework would: through the supertype. The very first thing {@code main} does, while the agent is still starting,
 * is load and call a subclass of a governed class with no agent in context (or, with {@code lambda-first}, a lambda
 * implementing a governed interface method; the other follows). Then, as {@code agent-r3} and as
 * {@code agent-r0}: a subclass override, an interface implementation, a generic override (through its bridge and
 * directly), a governed default method and an override of one, an enum constant's body, a grandchild, and lambdas
 * implementing a governed interface method (one capturing, one generic) and method references implementing one
 * (bound and static). Prints one line per attempt.
 */
public final class OverridesApp {

    private OverridesApp() {
    }

    public static void main(String[] args) throws Exception {
        boolean starting = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("agentmesh-start"));
        System.out.println("agent-still-starting " + starting);
        // Nothing in this class makes the verifier load Ledger (no QuietLedger is used as one here), so the JVM is
        // handed QuietLedger's class file before Ledger's: the case where the start-up gate must hold back a
        // subclass whose own class file names no @Ring.
        if (args.length > 0 && args[0].equals("lambda-first")) {
            Outcomes.attempt("anonymous", "lambda-first", EarlyLambda::pay);
            Outcomes.attempt("anonymous", "subclass-first", () -> new QuietLedger().wipe());
        } else {
            Outcomes.attempt("anonymous", "subclass-first", () -> new QuietLedger().wipe());
            Outcomes.attempt("anonymous", "lambda-first", EarlyLambda::pay);
        }
        Matrix.run();
    }

    /** Makes a lambda implementing a governed interface method, loaded while the agent may still be starting. */
    private static final class EarlyLambda {
        private EarlyLambda() {
        }

        static String pay() {
            Payments early = to -> "paid " + to + " early";
            return early.pay("ada");
        }
    }

    /** The attempts after the first, in a class of their own: verifying them loads the governed supertypes. */
    private static final class Matrix {
        private Matrix() {
        }

        static void run() throws Exception {
            Ledger ledger = new QuietLedger();
            Payments payments = new CashPayments();
            Handler<String> handler = new TextHandler();
            TextHandler textHandler = new TextHandler();
            String bank = "first-bank";
            Payments lambda = to -> "paid " + to + " through " + bank; // captures: the body takes bank first
            Handler<Integer> genericLambda = n -> "handled " + n;
            Payments boundReference = new Teller()::send;
            Payments staticReference = Teller::wire;
            Payments serializableReference = (Payments & java.io.Serializable) Teller::wire;
            Payments deserializedReference = (Payments) roundTrip(serializableReference);
            for (String agent : new String[] {"agent-r3", "agent-r0"}) {
                try (AgentContext.Scope scope = AgentContext.enter(agent)) {
                    Outcomes.attempt(agent, "subclass", ledger::wipe);
                    Outcomes.attempt(agent, "implementation", () -> payments.pay("ada"));
                    Outcomes.attempt(agent, "generic-bridge", () -> handler.handle("text"));
                    Outcomes.attempt(agent, "generic-direct", () -> textHandler.handle("text"));
                    Outcomes.attempt(agent, "default-method", () -> new UsesDefault().describe());
                    Outcomes.attempt(agent, "default-overridden", () -> new OverridesDefault().describe());
                    Outcomes.attempt(agent, "enum-constant-body", Switch.OFF::flip);
                    Outcomes.attempt(agent, "grandchild", () -> new QuieterLedger().wipe());
                    Outcomes.attempt(agent, "lambda", () -> lambda.pay("ada"));
                    Outcomes.attempt(agent, "generic-lambda", () -> genericLambda.handle(7));
                    Outcomes.attempt(agent, "method-reference", () -> boundReference.pay("ada"));
                    Outcomes.attempt(agent, "static-method-reference", () -> staticReference.pay("ada"));
                    Outcomes.attempt(agent, "serializable-method-reference",
                            () -> serializableReference.pay("ada"));
                    Outcomes.attempt(agent, "deserialized-method-reference",
                            () -> deserializedReference.pay("ada"));
                }
            }
        }
    }

    /** Serializes {@code o} and reads it back. */
    static Object roundTrip(Object o) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    /** Pays, with no {@code @Ring} of its own: method references to it implement {@link Payments}. */
    public static final class Teller {
        public String send(String to) {
            return "sent " + to;
        }

        public static String wire(String to) {
            return "wired " + to;
        }
    }

    /** A governed class. */
    public static class Ledger {
        @Ring(0)
        public String wipe() {
            return "ledger wiped";
        }
    }

    /** Overrides the governed method without calling it: its own body is all that runs. */
    public static class QuietLedger extends Ledger {
        @Override
        public String wipe() {
            return "quietly wiped";
        }
    }

    /** Two levels down. */
    public static final class QuieterLedger extends QuietLedger {
        @Override
        public String wipe() {
            return "more quietly wiped";
        }
    }

    /** A governed interface method. */
    public interface Payments {
        @Ring(1)
        String pay(String to);
    }

    /** Implements it. */
    public static final class CashPayments implements Payments {
        @Override
        public String pay(String to) {
            return "paid " + to;
        }
    }

    /**
     * A governed generic interface method.
     *
     * @param <T> what it handles
     */
    public interface Handler<T> {
        @Ring(1)
        String handle(T input);
    }

    /** Overrides it for strings: the compiler adds a bridge {@code handle(Object)}. */
    public static final class TextHandler implements Handler<String> {
        @Override
        public String handle(String input) {
            return "handled " + input;
        }
    }

    /** A governed default method. */
    public interface Described {
        @Ring(0)
        default String describe() {
            return "default";
        }
    }

    /** Uses the default. */
    public static final class UsesDefault implements Described {
    }

    /** Overrides the default. */
    public static final class OverridesDefault implements Described {
        @Override
        public String describe() {
            return "own";
        }
    }

    /** An enum constant with a body implementing the governed abstract method. */
    public enum Switch {
        OFF {
            @Override
            public String flip() {
                return "flipped";
            }
        };

        @Ring(0)
        public abstract String flip();
    }
}
