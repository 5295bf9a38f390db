package dev.agentmesh.audit.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.ArgumentDigestTest.Color;
import dev.agentmesh.audit.format.ArgumentDigestTest.Enc;
import dev.agentmesh.audit.format.ArgumentDigestTest.Op;
import dev.agentmesh.audit.format.ArgumentDigestTest.Opaque;
import java.security.MessageDigest;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/** {@link ArgumentDigest} over arbitrary argument lists. */
class ArgumentDigestPropertiesTest {

    private static final ThreadLocal<Boolean> ARMED = ThreadLocal.withInitial(() -> false);

    /**
     * hashCode() throws, but only while armed: jqwik itself hashes generated values, so the generator must be able
     * to handle these; the digest calls under test run armed.
     */
    static final class Hostile {
        @Override
        public int hashCode() {
            if (ARMED.get()) {
                throw new IllegalStateException("no hash for you");
            }
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }
    }

    private static byte[] armed(java.util.function.Supplier<byte[]> digest) {
        ARMED.set(true);
        try {
            return digest.get();
        } finally {
            ARMED.set(false);
        }
    }

    @Property(tries = 300)
    void reusingOneInstanceGivesTheSameDigestsAsFreshInstances(@ForAll("argLists") List<Object[]> calls) {
        ArgumentDigest reused = new ArgumentDigest();
        byte[] out = new byte[32];
        for (Object[] args : calls) {
            byte[] fresh = armed(() -> new ArgumentDigest().digest(args));
            assertThat(armed(() -> reused.digest(args))).isEqualTo(fresh);
            armed(() -> {
                reused.digest(args, out);
                return out;
            });
            assertThat(out).isEqualTo(fresh);
        }
    }

    @Property(tries = 300)
    void matchesAnIndependentImplementationOfTheDocumentedEncoding(@ForAll("args") Object[] args) throws Exception {
        Enc enc = Enc.of();
        ARMED.set(true);
        try {
            for (Object arg : args) {
                reference(enc, arg, 0);
            }
        } finally {
            ARMED.set(false);
        }
        byte[] encoding = enc.bytes();
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(encoding);
        assertThat(armed(() -> new ArgumentDigest().digest(args))).isEqualTo(expected);

        // make sure the generator reaches the interesting paths
        Statistics.label("cut off at MAX_DEPTH").collect(arrayDepth(args) > ArgumentDigest.MAX_DEPTH + 1);
        Statistics.label("hashCode threw").collect(containsHostile(args));
        Statistics.label("longer than the 4096-byte scratch buffer").collect(encoding.length > 4096);
        Statistics.label("cut off at MAX_DEPTH").coverage(c -> c.check(true).count(n -> n > 0));
        Statistics.label("hashCode threw").coverage(c -> c.check(true).count(n -> n > 0));
        Statistics.label("longer than the 4096-byte scratch buffer").coverage(c -> c.check(true).count(n -> n > 0));
    }

    @Property(tries = 200)
    void isDeterministic(@ForAll("args") Object[] args) {
        ArgumentDigest d = new ArgumentDigest();
        byte[] first = armed(() -> d.digest(args));
        assertThat(armed(() -> d.digest(args))).isEqualTo(first);
        assertThat(armed(() -> d.digest(args.clone()))).isEqualTo(first);
    }

    @Property(tries = 200)
    void changingAnyStringArgumentChangesTheDigest(@ForAll("args") Object[] args, @ForAll int index) {
        if (args.length == 0) {
            return;
        }
        int i = Math.floorMod(index, args.length);
        Object[] changed = args.clone();
        // a string whose encoding differs from the original's: another tag, or the same string one char longer
        changed[i] = args[i] instanceof String ? "\u0000" + args[i] : "\u0000";
        assertThat(armed(() -> new ArgumentDigest().digest(changed)))
                .isNotEqualTo(armed(() -> new ArgumentDigest().digest(args)));
    }

    /** Levels of Object[] nesting, counting the args array itself. */
    private static int arrayDepth(Object v) {
        if (!(v instanceof Object[])) {
            return 0;
        }
        int max = 0;
        for (Object e : (Object[]) v) {
            max = Math.max(max, arrayDepth(e));
        }
        return 1 + max;
    }

    private static boolean containsHostile(Object v) {
        if (v instanceof Hostile) {
            return true;
        }
        if (v instanceof Object[]) {
            for (Object e : (Object[]) v) {
                if (containsHostile(e)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The javadoc table, implemented again without looking at how ArgumentDigest buffers or flushes. */
    private static void reference(Enc enc, Object v, int depth) {
        if (v == null) {
            enc.tag('N');
        } else if (v instanceof CharSequence) {
            enc.tag('s').chars(v.toString());
        } else if (v instanceof Boolean) {
            enc.tag('Z').u8((Boolean) v ? 1 : 0);
        } else if (v instanceof Byte) {
            enc.tag('B').u8((Byte) v);
        } else if (v instanceof Character) {
            enc.tag('C').u16((Character) v);
        } else if (v instanceof Short) {
            enc.tag('S').u16((Short) v);
        } else if (v instanceof Integer) {
            enc.tag('I').u32((Integer) v);
        } else if (v instanceof Float) {
            enc.tag('F').u32(Float.floatToIntBits((Float) v));
        } else if (v instanceof Long) {
            enc.tag('J').u64((Long) v);
        } else if (v instanceof Double) {
            enc.tag('D').u64(Double.doubleToLongBits((Double) v));
        } else if (v instanceof Enum<?>) {
            Enum<?> e = (Enum<?>) v;
            enc.tag('E').chars(e.getDeclaringClass().getName()).chars(e.name());
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            enc.tag('[').u32(b.length).raw(b);
        } else if (v.getClass().isArray()) {
            if (depth >= ArgumentDigest.MAX_DEPTH) {
                enc.tag('X');
                return;
            }
            int n = java.lang.reflect.Array.getLength(v);
            enc.tag('A').u32(n);
            for (int i = 0; i < n; i++) {
                reference(enc, java.lang.reflect.Array.get(v, i), depth + 1);
            }
        } else {
            int hash;
            try {
                hash = v.hashCode();
            } catch (RuntimeException e) {
                enc.tag('!').chars(v.getClass().getName());
                return;
            }
            enc.tag('O').chars(v.getClass().getName()).u32(hash);
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Object> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().ofMaxLength(20).asGeneric()),
                // long enough to cross the digest's 4096-byte scratch buffer; built cheaply
                Tuple.of(1, net.jqwik.api.Combinators.combine(Arbitraries.chars(),
                        Arbitraries.integers().between(1000, 5000)).as((c, n) -> (Object) (c + "ab").repeat(n / 3))),
                Tuple.of(3, Arbitraries.integers().asGeneric()),
                Tuple.of(2, Arbitraries.longs().asGeneric()),
                Tuple.of(1, Arbitraries.doubles().asGeneric()),
                Tuple.of(1, Arbitraries.floats().asGeneric()),
                Tuple.of(1, Arbitraries.shorts().asGeneric()),
                Tuple.of(1, Arbitraries.bytes().asGeneric()),
                Tuple.of(1, Arbitraries.chars().asGeneric()),
                Tuple.of(1, Arbitraries.of(true, false).asGeneric()),
                Tuple.of(1, Arbitraries.of(Color.RED, Color.GREEN, Op.PLAIN, Op.SPECIAL).asGeneric()),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(16).asGeneric()),
                // large byte[] content, filled from a seed rather than generated byte by byte
                Tuple.of(1, net.jqwik.api.Combinators.combine(Arbitraries.longs(),
                        Arbitraries.integers().between(0, 9000)).as((seed, n) -> {
                            byte[] b = new byte[n];
                            new java.util.Random(seed).nextBytes(b);
                            return (Object) b;
                        })),
                Tuple.of(1, Arbitraries.integers().array(int[].class).ofMaxSize(5).asGeneric()),
                Tuple.of(1, Arbitraries.integers().map(h -> (Object) new Opaque(h))),
                Tuple.of(1, Arbitraries.create(() -> (Object) new Hostile())))
                .injectNull(0.08);
    }

    /** Scalars, or Object[] nested up to two levels deeper than {@link ArgumentDigest#MAX_DEPTH}. */
    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(this::scalars,
                inner -> inner.list().ofMaxSize(3).map(list -> (Object) list.toArray()), 0,
                ArgumentDigest.MAX_DEPTH + 2);
    }

    @Provide
    Arbitrary<Object[]> args() {
        return values().list().ofMaxSize(5).map(List::toArray);
    }

    @Provide
    Arbitrary<List<Object[]>> argLists() {
        return args().list().ofMinSize(1).ofMaxSize(5);
    }
}
