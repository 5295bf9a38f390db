package dev.agentmesh.agent.saga;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The saga value codec: writes a step's result into the trail as text, and reads it back in a later run so a
 * recovering run can hand it to the compensation. The README's saga section is its normative description.
 *
 * <p>A value is a tag and its payload: {@code n} null; {@code s:} String; {@code b:} Boolean; {@code i:} Integer;
 * {@code l:} Long; {@code h:} Short; {@code y:} Byte; {@code c:} Character (its code); {@code d:} Double and
 * {@code f:} Float (Java's shortest round-trip text); {@code D:} BigDecimal; {@code I:} BigInteger; {@code x:}
 * byte[] (Base64); {@code u:} UUID; {@code t:} Instant (ISO-8601); {@code e:<class>#<constant>} an enum;
 * {@code L} a List, {@code M} a Map (keys and values alternating), {@code r:<class>;} a record (its components in
 * order), each followed by its items, every item written as {@code <length>:<value>} with the length in chars.
 *
 * <p>Hand-written rather than a JSON library: the agent must not bring one onto the host's class path, the format
 * has to name types so records and enums come back as themselves, and it is small enough to pin in a test.
 */
final class ValueCodec {

    private ValueCodec() {
    }

    /**
     * @param value a step's result
     * @return its text form
     * @throws IllegalArgumentException if the value, or a part of it, has a type the codec does not cover
     */
    static String encode(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    /**
     * @param text a text form written by {@link #encode}
     * @param loader where to find the classes of records and enums
     * @return the value
     * @throws IllegalArgumentException if the text is malformed or names a class that cannot be found or built
     */
    static Object decode(String text, ClassLoader loader) {
        return new Reader(text, loader).value(0, text.length());
    }

    private static void write(StringBuilder out, Object v, int depth) {
        if (depth > 32) {
            throw new IllegalArgumentException("value nested more than 32 deep");
        }
        if (v == null) {
            out.append('n');
        } else if (v instanceof String s) {
            out.append("s:").append(s);
        } else if (v instanceof Boolean b) {
            out.append("b:").append(b);
        } else if (v instanceof Integer i) {
            out.append("i:").append(i);
        } else if (v instanceof Long l) {
            out.append("l:").append(l);
        } else if (v instanceof Short h) {
            out.append("h:").append(h);
        } else if (v instanceof Byte y) {
            out.append("y:").append(y);
        } else if (v instanceof Character c) {
            out.append("c:").append((int) c);
        } else if (v instanceof Double d) {
            out.append("d:").append(d);
        } else if (v instanceof Float f) {
            out.append("f:").append(f);
        } else if (v instanceof BigDecimal d) {
            out.append("D:").append(d);
        } else if (v instanceof BigInteger i) {
            out.append("I:").append(i);
        } else if (v instanceof byte[] x) {
            out.append("x:").append(Base64.getEncoder().encodeToString(x));
        } else if (v instanceof UUID u) {
            out.append("u:").append(u);
        } else if (v instanceof Instant t) {
            out.append("t:").append(t);
        } else if (v instanceof Enum<?> e) {
            out.append("e:").append(e.getDeclaringClass().getName()).append('#').append(e.name());
        } else if (v instanceof List<?> list) {
            out.append('L');
            for (Object item : list) {
                item(out, item, depth);
            }
        } else if (v instanceof Map<?, ?> map) {
            out.append('M');
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                item(out, entry.getKey(), depth);
                item(out, entry.getValue(), depth);
            }
        } else if (v.getClass().isRecord()) {
            out.append("r:").append(v.getClass().getName()).append(';');
            for (RecordComponent component : v.getClass().getRecordComponents()) {
                item(out, component(v, component), depth);
            }
        } else {
            throw new IllegalArgumentException("the saga value codec cannot write a " + v.getClass().getName()
                    + "; return a String, number, boolean, enum, byte[], UUID, Instant, record, List or Map of these");
        }
    }

    private static void item(StringBuilder out, Object v, int depth) {
        StringBuilder inner = new StringBuilder();
        write(inner, v, depth + 1);
        out.append(inner.length()).append(':').append(inner);
    }

    private static Object component(Object record, RecordComponent component) {
        try {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read component " + component.getName() + " of "
                    + record.getClass().getName() + ": " + e, e);
        }
    }

    /** Reads one text form; positions are char indexes into it. */
    private static final class Reader {
        private final String text;
        private final ClassLoader loader;

        Reader(String text, ClassLoader loader) {
            this.text = text;
            this.loader = loader;
        }

        Object value(int from, int to) {
            if (from >= to) {
                throw malformed(from, "empty value");
            }
            char tag = text.charAt(from);
            if (tag == 'n' && to == from + 1) {
                return null;
            }
            if (tag == 'L') {
                return items(from + 1, to);
            }
            if (tag == 'M') {
                List<Object> kv = items(from + 1, to);
                if (kv.size() % 2 != 0) {
                    throw malformed(from, "a map with a key and no value");
                }
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < kv.size(); i += 2) {
                    map.put(kv.get(i), kv.get(i + 1));
                }
                return map;
            }
            if (to < from + 2 || text.charAt(from + 1) != ':') {
                throw malformed(from, "no tag");
            }
            String p = text.substring(from + 2, to);
            try {
                switch (tag) {
                    case 's': return p;
                    case 'b': return bool(p, from);
                    case 'i': return Integer.valueOf(p);
                    case 'l': return Long.valueOf(p);
                    case 'h': return Short.valueOf(p);
                    case 'y': return Byte.valueOf(p);
                    case 'c': return (char) Integer.parseInt(p);
                    case 'd': return Double.valueOf(p);
                    case 'f': return Float.valueOf(p);
                    case 'D': return new BigDecimal(p);
                    case 'I': return new BigInteger(p);
                    case 'x': return Base64.getDecoder().decode(p);
                    case 'u': return UUID.fromString(p);
                    case 't': return Instant.parse(p);
                    case 'e': return enumConstant(p, from);
                    case 'r': return record(from + 2, to);
                    default: throw malformed(from, "unknown tag '" + tag + "'");
                }
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("malformed saga value")) {
                    throw e;
                }
                throw malformed(from, e.toString());
            }
        }

        private static Boolean bool(String p, int at) {
            if (!p.equals("true") && !p.equals("false")) {
                throw new IllegalArgumentException("not a boolean: " + p + " at " + at);
            }
            return Boolean.valueOf(p);
        }

        private List<Object> items(int from, int to) {
            List<Object> items = new ArrayList<>();
            int at = from;
            while (at < to) {
                int colon = text.indexOf(':', at);
                if (colon < 0 || colon >= to) {
                    throw malformed(at, "an item with no length");
                }
                int length;
                try {
                    length = Integer.parseInt(text.substring(at, colon));
                } catch (NumberFormatException e) {
                    throw malformed(at, "an item length that is not a number");
                }
                int end = colon + 1 + length;
                if (length < 0 || end > to) {
                    throw malformed(at, "an item longer than what holds it");
                }
                items.add(value(colon + 1, end));
                at = end;
            }
            return items;
        }

        private Object enumConstant(String p, int at) {
            int hash = p.indexOf('#');
            if (hash < 0) {
                throw malformed(at, "an enum with no constant");
            }
            Class<?> type = load(p.substring(0, hash), at);
            if (!type.isEnum()) {
                throw malformed(at, type.getName() + " is not an enum");
            }
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(p.substring(hash + 1))) {
                    return constant;
                }
            }
            throw malformed(at, type.getName() + " has no constant " + p.substring(hash + 1));
        }

        private Object record(int from, int to) {
            int semi = text.indexOf(';', from);
            if (semi < 0 || semi >= to) {
                throw malformed(from, "a record with no class");
            }
            Class<?> type = load(text.substring(from, semi), from);
            if (!type.isRecord()) {
                throw malformed(from, type.getName() + " is not a record");
            }
            RecordComponent[] components = type.getRecordComponents();
            List<Object> values = items(semi + 1, to);
            if (values.size() != components.length) {
                throw malformed(from, type.getName() + " has " + components.length + " components, the value "
                        + values.size());
            }
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            try {
                Constructor<?> canonical = type.getDeclaredConstructor(types);
                canonical.setAccessible(true);
                return canonical.newInstance(values.toArray());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw malformed(from, "cannot build " + type.getName() + ": " + e);
            }
        }

        private Class<?> load(String name, int at) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw malformed(at, "class " + name + " not found");
            }
        }

        private IllegalArgumentException malformed(int at, String why) {
            return new IllegalArgumentException("malformed saga value at char " + at + ": " + why);
        }
    }
}
