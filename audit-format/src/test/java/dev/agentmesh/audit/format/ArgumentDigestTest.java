package dev.agentmesh.audit.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ArgumentDigest} against its documented encoding, value by value. */
class ArgumentDigestTest {

    private static final HexFormat HEX = HexFormat.of();

    /** A type with no special encoding whose hashCode is fixed. */
    static final class Opaque {
        private final int hash;

        Opaque(int hash) {
            this.hash = hash;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque && ((Opaque) o).hash == hash;
        }
    }

    /** hashCode() throws. */
    static final class Hostile {
        @Override
        public int hashCode() {
            throw new IllegalStateException("no hash for you");
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }
    }

    /** hashCode() recurses forever. */
    static final class Recursive {
        @Override
        public int hashCode() {
            return hashCode() + 1;
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }
    }

    enum Color { RED, GREEN }

    enum Op {
        PLAIN,
        SPECIAL {
            @Override
            public String toString() {
                return "special";
            }
        }
    }

    // ---------------------------------------------------------------- the documented encoding, by hand

    /** Builds expected encodings byte by byte from the javadoc table. */
    static final class Enc {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        static Enc of() {
            return new Enc();
        }

        Enc tag(char t) {
            return u8(t);
        }

        Enc u8(int v) {
            try {
                out.writeByte(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Enc u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Enc u32(int v) {
            return u16(v >>> 16).u16(v);
        }

        Enc u64(long v) {
            return u32((int) (v >>> 32)).u32((int) v);
        }

        /** A "string value": u32 char count, then UTF-16BE chars. */
        Enc chars(String s) {
            u32(s.length());
            for (int i = 0; i < s.length(); i++) {
                u16(s.charAt(i));
            }
            return this;
        }

        Enc raw(byte... b) {
            bytes.write(b, 0, b.length); // DataOutputStream is unbuffered: order is kept
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    static byte[] sha256(byte[] input) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(input);
    }

    @Test
    void handComputedDigestOfAbAnd7() throws Exception {
        // 's' u32(2) 'a' 'b' as UTF-16BE, then 'I' u32(7)
        byte[] encoding = Enc.of().tag('s').u32(2).u16('a').u16('b').tag('I').u32(7).bytes();
        assertThat(HEX.formatHex(encoding)).isEqualTo("7300000002006100624900000007");
        byte[] expected = sha256(encoding);
        // pinned: computed independently with Python's hashlib over the same 14 bytes
        assertThat(HEX.formatHex(expected))
                .isEqualTo("fe7605ecc63c63f5c6cf1d1423ea0cee8f21776aa4be2aebf85fc1508f4f02e9");

        assertThat(new ArgumentDigest().digest("ab", 7)).isEqualTo(expected);
    }

    static Stream<Arguments> singleValues() {
        String enumClass = Color.class.getName();
        String opClass = Op.class.getName();
        Object[] deep = {new Object[] {new Object[] {new Object[] {new Object[] {"too deep"}}}}};
        return Stream.of(
                Arguments.of("null", null, Enc.of().tag('N')),
                Arguments.of("true", true, Enc.of().tag('Z').u8(1)),
                Arguments.of("false", false, Enc.of().tag('Z').u8(0)),
                Arguments.of("byte", (byte) -2, Enc.of().tag('B').u8(0xFE)),
                Arguments.of("char", '\u00e9', Enc.of().tag('C').u16(0xE9)),
                Arguments.of("short", (short) -300, Enc.of().tag('S').u16(0xFED4)),
                Arguments.of("int", -123456789, Enc.of().tag('I').u32(-123456789)),
                Arguments.of("float", 1.5f, Enc.of().tag('F').u32(0x3FC00000)),
                Arguments.of("float NaN", Float.NaN, Enc.of().tag('F').u32(0x7FC00000)),
                Arguments.of("long", 0x0102030405060708L, Enc.of().tag('J').u64(0x0102030405060708L)),
                Arguments.of("double", -2.5d, Enc.of().tag('D').u64(0xC004000000000000L)),
                Arguments.of("string", "h\u00e9", Enc.of().tag('s').chars("h\u00e9")),
                Arguments.of("empty string", "", Enc.of().tag('s').u32(0)),
                Arguments.of("surrogate pair", "\uD83D\uDE00",
                        Enc.of().tag('s').u32(2).u16(0xD83D).u16(0xDE00)),
                Arguments.of("StringBuilder", new StringBuilder("hi"), Enc.of().tag('s').chars("hi")),
                Arguments.of("enum", Color.GREEN, Enc.of().tag('E').chars(enumClass).chars("GREEN")),
                Arguments.of("enum constant with a body", Op.SPECIAL,
                        Enc.of().tag('E').chars(opClass).chars("SPECIAL")),
                Arguments.of("byte[]", new byte[] {1, 2, (byte) 0xFF},
                        Enc.of().tag('[').u32(3).raw((byte) 1, (byte) 2, (byte) 0xFF)),
                Arguments.of("empty byte[]", new byte[0], Enc.of().tag('[').u32(0)),
                Arguments.of("Byte[]", new Byte[] {1}, Enc.of().tag('A').u32(1).tag('B').u8(1)),
                Arguments.of("int[]", new int[] {1, -1}, Enc.of().tag('A').u32(2).tag('I').u32(1).tag('I').u32(-1)),
                Arguments.of("char[]", new char[] {'x'}, Enc.of().tag('A').u32(1).tag('C').u16('x')),
                Arguments.of("boolean[]", new boolean[] {true}, Enc.of().tag('A').u32(1).tag('Z').u8(1)),
                Arguments.of("String[] with null", new String[] {null, "x"},
                        Enc.of().tag('A').u32(2).tag('N').tag('s').chars("x")),
                Arguments.of("byte[][]", new byte[][] {{7}},
                        Enc.of().tag('A').u32(1).tag('[').u32(1).u8(7)),
                Arguments.of("other object", new Opaque(0xCAFEBABE),
                        Enc.of().tag('O').chars(Opaque.class.getName()).u32(0xCAFEBABE)),
                Arguments.of("hashCode throws", new Hostile(), Enc.of().tag('!').chars(Hostile.class.getName())),
                Arguments.of("hashCode overflows the stack", new Recursive(),
                        Enc.of().tag('!').chars(Recursive.class.getName())),
                Arguments.of("nesting cut off at MAX_DEPTH", deep,
                        Enc.of().tag('A').u32(1).tag('A').u32(1).tag('A').u32(1).tag('A').u32(1).tag('X')));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleValues")
    void eachValueIsEncodedAsDocumented(String name, Object value, Enc expected) throws Exception {
        byte[] want = sha256(expected.bytes());
        assertThat(new ArgumentDigest().digest(new Object[] {value})).isEqualTo(want);
        // a value in a one-element Object[] argument is the same value one level down
        byte[] wrapped = Enc.of().tag('A').u32(1).raw(expected.bytes()).bytes();
        if (!name.startsWith("nesting")) {
            assertThat(new ArgumentDigest().digest(new Object[] {new Object[] {value}}))
                    .isEqualTo(sha256(wrapped));
        }
    }

    @Test
    void severalArgumentsAreConcatenatedInOrder() throws Exception {
        byte[] want = sha256(Enc.of().tag('N').tag('J').u64(1).tag('E').chars(Color.class.getName()).chars("RED")
                .tag('[').u32(2).raw((byte) 9, (byte) 8).bytes());
        assertThat(new ArgumentDigest().digest(null, 1L, Color.RED, new byte[] {9, 8})).isEqualTo(want);
    }

    @Test
    void noArgumentsIsTheDigestOfNothing() throws Exception {
        String empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        ArgumentDigest d = new ArgumentDigest();
        assertThat(HEX.formatHex(d.digest())).isEqualTo(empty);
        assertThat(HEX.formatHex(d.digest((Object[]) null))).isEqualTo(empty);
        assertThat(HEX.formatHex(d.digest(new Object[0]))).isEqualTo(empty);
        byte[] out = new byte[32];
        d.digest(null, out);
        assertThat(HEX.formatHex(out)).isEqualTo(empty);
        assertThat(sha256(new byte[0])).isEqualTo(out);
    }

    @Test
    void nullArgsArrayEqualsEmptyArgsButNotASingleNull() {
        ArgumentDigest d = new ArgumentDigest();
        assertThat(d.digest((Object[]) null)).isEqualTo(d.digest(new Object[0]));
        assertThat(d.digest((Object[]) null)).isNotEqualTo(d.digest(new Object[] {null}));
    }

    @Test
    void digestIntoWritesExactly32BytesAtOffsetZero() {
        ArgumentDigest d = new ArgumentDigest();
        byte[] out = new byte[40];
        Arrays.fill(out, (byte) 0x77);
        d.digest(new Object[] {"ab", 7}, out);
        assertThat(Arrays.copyOf(out, 32)).isEqualTo(d.digest("ab", 7));
        assertThat(Arrays.copyOfRange(out, 32, 40)).containsOnly(0x77);
    }

    // ---------------------------------------------------------------- determinism and distinctions

    @Test
    void isDeterministic() {
        Object[] args = {"x", 1, 2L, 3.0, new byte[] {1}, new int[][] {{1, 2}, {3}}, Color.RED, null,
                new Opaque(5), new Hostile()};
        ArgumentDigest d = new ArgumentDigest();
        byte[] first = d.digest(args);
        assertThat(d.digest(args)).isEqualTo(first);
        assertThat(new ArgumentDigest().digest(args)).isEqualTo(first);
        assertThat(new ArgumentDigest().digest(args.clone())).isEqualTo(first);
        assertThat(first).hasSize(32);
    }

    @Test
    void distinguishesNullFromTheStringNull() {
        assertDiffer(new Object[] {null}, new Object[] {"null"});
        assertDiffer(new Object[] {null}, new Object[] {""});
    }

    @Test
    void distinguishesHowStringsAreSplit() {
        assertDiffer(new Object[] {"ab", "c"}, new Object[] {"a", "bc"});
        assertDiffer(new Object[] {"abc", ""}, new Object[] {"abc"});
        assertDiffer(new Object[] {new byte[] {1, 2}, new byte[] {3}}, new Object[] {new byte[] {1}, new byte[] {2, 3}});
    }

    @Test
    void distinguishesBoxedTypes() {
        assertDiffer(new Object[] {1}, new Object[] {1L});
        assertDiffer(new Object[] {1}, new Object[] {(short) 1});
        assertDiffer(new Object[] {(byte) 1}, new Object[] {true});
        assertDiffer(new Object[] {1.0f}, new Object[] {1.0d});
        assertDiffer(new Object[] {'a'}, new Object[] {"a"});
        assertDiffer(new Object[] {0.0d}, new Object[] {-0.0d});
        assertDiffer(new Object[] {new byte[] {1}}, new Object[] {new Byte[] {1}});
        assertDiffer(new Object[] {Color.RED}, new Object[] {"RED"});
        assertDiffer(new Object[] {Color.RED}, new Object[] {Color.GREEN});
        assertDiffer(new Object[] {Op.PLAIN}, new Object[] {Op.SPECIAL});
    }

    @Test
    void distinguishesArgumentOrder() {
        assertDiffer(new Object[] {"a", 1}, new Object[] {1, "a"});
        assertDiffer(new Object[] {"a", "b"}, new Object[] {"b", "a"});
        assertDiffer(new Object[] {new Object[] {1, 2}}, new Object[] {new Object[] {2, 1}});
    }

    @Test
    void distinguishesArrayStructure() {
        assertDiffer(new Object[] {new Object[] {1, 2}}, new Object[] {1, 2});
        assertDiffer(new Object[] {new Object[] {}}, new Object[] {null});
        assertDiffer(new Object[] {new Object[] {new Object[] {1}, 2}}, new Object[] {new Object[] {1, new Object[] {2}}});
    }

    @Test
    void primitiveAndBoxedArraysEncodeAlikeAsDocumented() {
        ArgumentDigest d = new ArgumentDigest();
        assertThat(d.digest(new Object[] {new int[] {1, 2}})).isEqualTo(d.digest(new Object[] {new Integer[] {1, 2}}));
        assertThat(d.digest(new Object[] {new double[] {1.5}})).isEqualTo(d.digest(new Object[] {new Object[] {1.5}}));
    }

    @Test
    void anyCharSequenceDigestsLikeTheEqualString() {
        ArgumentDigest d = new ArgumentDigest();
        assertThat(d.digest(new StringBuilder("tool-call"))).isEqualTo(d.digest("tool-call"));
        assertThat(d.digest(java.nio.CharBuffer.wrap("tool-call"))).isEqualTo(d.digest("tool-call"));
    }

    @Test
    void floatingPointNaNsAreCanonical() {
        ArgumentDigest d = new ArgumentDigest();
        assertThat(d.digest(Double.longBitsToDouble(0x7FF8000000000001L))).isEqualTo(d.digest(Double.NaN));
        assertThat(d.digest(Float.intBitsToFloat(0x7FC00001))).isEqualTo(d.digest(Float.NaN));
    }

    // ---------------------------------------------------------------- byte[] content, enums, other objects

    @Test
    void byteArraysDigestByContent() throws Exception {
        ArgumentDigest d = new ArgumentDigest();
        byte[] a = new byte[100_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i * 31);
        }
        byte[] b = a.clone();
        assertThat(d.digest(new Object[] {a})).isEqualTo(d.digest(new Object[] {b}));
        b[b.length - 1] ^= 1;
        assertThat(d.digest(new Object[] {a})).isNotEqualTo(d.digest(new Object[] {b}));
        b[b.length - 1] ^= 1;
        b[0] ^= 1;
        assertThat(d.digest(new Object[] {a})).isNotEqualTo(d.digest(new Object[] {b}));
        // and large content is encoded exactly as documented, between other arguments
        byte[] want = sha256(Enc.of().tag('s').chars("pre").tag('[').u32(a.length).raw(a).tag('I').u32(3).bytes());
        assertThat(d.digest("pre", a, 3)).isEqualTo(want);
    }

    @Test
    void enumsDigestByDeclaringClassAndName() {
        ArgumentDigest d = new ArgumentDigest();
        assertThat(d.digest(Color.RED)).isEqualTo(d.digest(Color.valueOf("RED")));
        assertThat(Op.SPECIAL.getClass()).isNotEqualTo(Op.class); // constant-specific body: an anonymous subclass
        assertThat(d.digest(Op.SPECIAL)).isEqualTo(new ArgumentDigest().digest(Op.valueOf("SPECIAL")));
    }

    @Test
    void otherObjectsDigestByClassAndHashCode() {
        ArgumentDigest d = new ArgumentDigest();
        assertThat(d.digest(new Opaque(1))).isEqualTo(d.digest(new Opaque(1)));
        assertThat(d.digest(new Opaque(1))).isNotEqualTo(d.digest(new Opaque(2)));
        assertThat(d.digest(new Opaque(1))).isNotEqualTo(d.digest(1));
        assertThat(d.digest(java.util.List.of("a"))).isEqualTo(d.digest(java.util.List.of("a")));
    }

    @Test
    void hashCodeThatThrowsDoesNotEscapeAndDoesNotDisturbLaterDigests() {
        ArgumentDigest d = new ArgumentDigest();
        byte[] hostile = d.digest("before", new Hostile(), "after");
        assertThat(hostile).isEqualTo(new ArgumentDigest().digest("before", new Hostile(), "after"));
        assertThat(d.digest(new Recursive())).isEqualTo(new ArgumentDigest().digest(new Recursive()));
        // class name stands in: a different throwing class gives a different digest
        assertThat(d.digest(new Hostile())).isNotEqualTo(d.digest(new Recursive()));
        // the instance still works normally afterwards
        assertThat(d.digest("ab", 7)).isEqualTo(new ArgumentDigest().digest("ab", 7));
    }

    // ---------------------------------------------------------------- nesting

    /** {@code depth} nested Object[] around the leaf: depth 1 is {leaf}. */
    static Object[] nest(int depth, Object leaf) {
        Object value = leaf;
        for (int i = 0; i < depth; i++) {
            value = new Object[] {value};
        }
        return (Object[]) value;
    }

    @Test
    void nestedArraysAreFollowedUpToMaxDepth() {
        ArgumentDigest d = new ArgumentDigest();
        for (int depth = 1; depth <= ArgumentDigest.MAX_DEPTH; depth++) {
            assertThat(d.digest(new Object[] {nest(depth, "a")}))
                    .as("depth %d", depth).isNotEqualTo(d.digest(new Object[] {nest(depth, "b")}));
        }
        for (int depth = ArgumentDigest.MAX_DEPTH + 1; depth <= ArgumentDigest.MAX_DEPTH + 4; depth++) {
            assertThat(d.digest(new Object[] {nest(depth, "a")}))
                    .as("depth %d", depth).isEqualTo(d.digest(new Object[] {nest(depth, "b")}));
        }
        // at the cut-off, what lies below no longer matters, but the cut-off itself is encoded
        assertThat(d.digest(new Object[] {nest(ArgumentDigest.MAX_DEPTH + 1, "a")}))
                .isEqualTo(d.digest(new Object[] {nest(ArgumentDigest.MAX_DEPTH, new int[] {1, 2, 3})}));
        assertThat(d.digest(new Object[] {nest(ArgumentDigest.MAX_DEPTH + 1, "a")}))
                .isNotEqualTo(d.digest(new Object[] {nest(ArgumentDigest.MAX_DEPTH, "a")}));
    }

    @Test
    void nestedPrimitiveArraysAreCutOffToo() {
        ArgumentDigest d = new ArgumentDigest();
        int[][][][] four = {{{{1}}}};
        int[][][][] fourOther = {{{{2}}}};
        int[][][][][] five = {{{{{1}}}}};
        int[][][][][] fiveOther = {{{{{2}}}}};
        assertThat(d.digest(new Object[] {four})).isNotEqualTo(d.digest(new Object[] {fourOther}));
        assertThat(d.digest(new Object[] {five})).isEqualTo(d.digest(new Object[] {fiveOther}));
    }

    @Test
    void byteArraysAreNotCutOffBelowMaxDepth() {
        ArgumentDigest d = new ArgumentDigest();
        Object[] a = nest(ArgumentDigest.MAX_DEPTH, new byte[] {1});
        Object[] b = nest(ArgumentDigest.MAX_DEPTH, new byte[] {2});
        assertThat(d.digest(new Object[] {a})).isNotEqualTo(d.digest(new Object[] {b}));
    }

    @Test
    void selfReferentialArrayTerminates() throws Exception {
        Object[] loop = new Object[1];
        loop[0] = loop;
        byte[] want = sha256(Enc.of().tag('A').u32(1).tag('A').u32(1).tag('A').u32(1).tag('A').u32(1).tag('X')
                .bytes());
        assertThat(new ArgumentDigest().digest(new Object[] {loop})).isEqualTo(want);
    }

    // ---------------------------------------------------------------- helpers

    private static void assertDiffer(Object[] a, Object[] b) {
        assertThat(new ArgumentDigest().digest(a)).as("%s vs %s", Arrays.deepToString(a), Arrays.deepToString(b))
                .isNotEqualTo(new ArgumentDigest().digest(b));
    }
}
