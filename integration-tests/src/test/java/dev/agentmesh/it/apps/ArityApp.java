package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls, as {@code agent-r2}, {@code @Ring(2)} tools of zero to five parameters, primitive and not, static and
 * instance, and varargs: the agent weaves methods of up to three parameters with an advice of their own arity and
 * the rest with one taking all arguments as an array; each call's ALLOW must carry the digest of its arguments
 * either way. One argument's {@code hashCode()} makes a governed call of its own while its call is being digested.
 * Prints {@code BODIES n} once done.
 */
public final class ArityApp {

    static final AtomicInteger BODIES = new AtomicInteger();

    private ArityApp() {
    }

    public static void main(String[] args) {
        ArityApp.Tools tools = new ArityApp.Tools();
        try (AgentContext.Scope scope = AgentContext.enter("agent-r2")) {
            tools.none();
            tools.one("query");
            tools.onePrimitive(1234567L);
            tools.two("a", 300);
            tools.three(null, 2.5d, 'x');
            tools.four("w", true, (byte) 7, (short) 8);
            tools.five(1, 2L, 3f, "four", new int[] {5});
            Tools.staticTwo("s", 42);
            tools.varargs("v1", "v2");
            tools.pair(new Reentrant(tools), "second");
        }
        System.out.println("BODIES " + BODIES.get());
    }

    /** The tools. */
    public static final class Tools {
        @Ring(2)
        public void none() {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public void one(Object query) {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public long onePrimitive(long n) {
            BODIES.incrementAndGet();
            return n;
        }

        @Ring(2)
        public void two(String a, int b) {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public void pair(Object a, Object b) {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public void three(String a, double b, char c) {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public void four(String a, boolean b, byte c, short d) {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public void five(int a, long b, float c, String d, int[] e) {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public static void staticTwo(String a, int b) {
            BODIES.incrementAndGet();
        }

        @Ring(2)
        public void varargs(String... values) {
            BODIES.incrementAndGet();
        }
    }

    /**
     * An argument whose digest makes a governed call of the same arity while its own call is being decided: the
     * inner call must not take over the array the outer call's arguments are in.
     */
    public static final class Reentrant {
        private final Tools tools;

        public Reentrant(Tools tools) {
            this.tools = tools;
        }

        @Override
        public int hashCode() {
            tools.pair("inner", "x");
            return 99;
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }
    }
}
