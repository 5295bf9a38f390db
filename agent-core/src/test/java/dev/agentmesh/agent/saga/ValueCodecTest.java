package dev.agentmesh.agent.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The saga value codec: pinned forms, round trips of everything it covers, and refusals of everything else. */
class ValueCodecTest {

    enum Cabin { ECONOMY, BUSINESS }

    record Leg(String from, String to, Cabin cabin) {
    }

    record Itinerary(String ref, List<Leg> legs, Map<String, Integer> bags, long priceCents, byte[] ticket) {
    }

    private static final ClassLoader LOADER = ValueCodecTest.class.getClassLoader();

    @Test
    void formsArePinned() {
        assertThat(ValueCodec.encode(null)).isEqualTo("n");
        assertThat(ValueCodec.encode("BK-1")).isEqualTo("s:BK-1");
        assertThat(ValueCodec.encode(42)).isEqualTo("i:42");
        assertThat(ValueCodec.encode(42L)).isEqualTo("l:42");
        assertThat(ValueCodec.encode(true)).isEqualTo("b:true");
        assertThat(ValueCodec.encode(new byte[] {1, 2})).isEqualTo("x:AQI=");
        assertThat(ValueCodec.encode(List.of("a", 1))).isEqualTo("L3:s:a3:i:1");
        assertThat(ValueCodec.encode(Map.of("k", "v"))).isEqualTo("M3:s:k3:s:v");
        assertThat(ValueCodec.encode(Cabin.BUSINESS))
                .isEqualTo("e:dev.agentmesh.agent.saga.ValueCodecTest$Cabin#BUSINESS");
        assertThat(ValueCodec.encode(new Leg("LHR", "JFK", Cabin.ECONOMY))).isEqualTo(
                "r:dev.agentmesh.agent.saga.ValueCodecTest$Leg;5:s:LHR5:s:JFK"
                        + "55:e:dev.agentmesh.agent.saga.ValueCodecTest$Cabin#ECONOMY");
    }

    @Test
    void aNestedRecordComesBackEqual() {
        Itinerary it = new Itinerary("R-1", List.of(new Leg("LHR", "JFK", Cabin.ECONOMY),
                new Leg("JFK", "SFO", Cabin.BUSINESS)), new LinkedHashMap<>(Map.of("alice", 2)), 120_000L,
                new byte[] {9, 8, 7});
        Itinerary back = (Itinerary) ValueCodec.decode(ValueCodec.encode(it), LOADER);
        assertThat(back.ref()).isEqualTo("R-1");
        assertThat(back.legs()).isEqualTo(it.legs());
        assertThat(back.bags()).isEqualTo(it.bags());
        assertThat(back.priceCents()).isEqualTo(120_000L);
        assertThat(back.ticket()).containsExactly(9, 8, 7);
    }

    @Property(tries = 300)
    void scalarsRoundTrip(@ForAll("scalars") Object value) {
        Object back = ValueCodec.decode(ValueCodec.encode(value), LOADER);
        if (value instanceof byte[] bytes) {
            assertThat((byte[]) back).isEqualTo(bytes);
        } else {
            assertThat(back).isEqualTo(value);
        }
    }

    @Property(tries = 200)
    void listsAndMapsOfStringsRoundTrip(@ForAll List<String> list, @ForAll Map<String, String> map) {
        assertThat(ValueCodec.decode(ValueCodec.encode(list), LOADER)).isEqualTo(list);
        assertThat(ValueCodec.decode(ValueCodec.encode(map), LOADER)).isEqualTo(map);
        assertThat(ValueCodec.decode(ValueCodec.encode(List.of(list, map)), LOADER)).isEqualTo(List.of(list, map));
    }

    @Provide
    Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(50).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.floats().map(f -> (Object) f),
                Arbitraries.shorts().map(s -> (Object) s), Arbitraries.bytes().map(b -> (Object) b),
                Arbitraries.chars().map(c -> (Object) c), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.bigIntegers().map(b -> (Object) b), Arbitraries.bigDecimals().map(b -> (Object) b),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> (Object) b),
                Arbitraries.randomValue(r -> (Object) new UUID(r.nextLong(), r.nextLong())),
                Arbitraries.longs().between(0, 4_000_000_000_000L).map(ms -> (Object) Instant.ofEpochMilli(ms)),
                Arbitraries.of(Cabin.class).map(c -> (Object) c), Arbitraries.just(null));
    }

    @Test
    void specialNumbersRoundTrip() {
        for (Object v : Arrays.asList(Double.NaN, Double.NEGATIVE_INFINITY, -0.0, Float.MIN_VALUE,
                new BigDecimal("1.2300"), BigInteger.TWO.pow(200), '\uD83D')) {
            assertThat(ValueCodec.decode(ValueCodec.encode(v), LOADER)).isEqualTo(v);
        }
    }

    @Test
    void typesItDoesNotCoverAreRefusedWithAHint() {
        assertThatThrownBy(() -> ValueCodec.encode(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot write a java.lang.Object").hasMessageContaining("return a String");
        assertThatThrownBy(() -> ValueCodec.encode(List.of(new StringBuilder("x"))))
                .hasMessageContaining("java.lang.StringBuilder");
    }

    @Test
    void malformedTextIsRefusedNamingWhere() {
        for (String bad : List.of("", "q:1", "i:x", "b:maybe", "L5:s:a", "Lx:s:a", "M3:s:k", "e:no.Such#A",
                "e:java.lang.String#A", "r:java.lang.String;", "r:dev.agentmesh.agent.saga.ValueCodecTest$Leg;3:s:a",
                "e:dev.agentmesh.agent.saga.ValueCodecTest$Cabin#FIRST", "s")) {
            assertThatThrownBy(() -> ValueCodec.decode(bad, LOADER)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed saga value");
        }
    }
}
