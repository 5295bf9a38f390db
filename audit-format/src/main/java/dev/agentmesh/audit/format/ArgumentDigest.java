package dev.agentmesh.audit.format;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Digests a call's argument values, so the trail can show which values a call had without holding them.
 * Not thread-safe: keep one per thread. Strings, primitives, boxes and primitive arrays digest with no
 * allocation.
 *
 * <p>The digest is {@code SHA-256} over each argument in order, each one a tag byte then its value, big-endian:
 * <table>
 *   <caption>Argument encoding</caption>
 *   <tr><th>Value</th><th>Tag</th><th>Then</th></tr>
 *   <tr><td>null</td><td>{@code N}</td><td>nothing</td></tr>
 *   <tr><td>Boolean, Byte</td><td>{@code Z}, {@code B}</td><td>1 byte</td></tr>
 *   <tr><td>Character, Short</td><td>{@code C}, {@code S}</td><td>2 bytes</td></tr>
 *   <tr><td>Integer, Float</td><td>{@code I}, {@code F}</td><td>4 bytes ({@code floatToIntBits})</td></tr>
 *   <tr><td>Long, Double</td><td>{@code J}, {@code D}</td><td>8 bytes ({@code doubleToLongBits})</td></tr>
 *   <tr><td>String (any CharSequence)</td><td>{@code s}</td><td>u32 char count, then UTF-16BE chars</td></tr>
 *   <tr><td>Enum constant</td><td>{@code E}</td><td>class name as a string value, then the constant's name</td></tr>
 *   <tr><td>byte[]</td><td>{@code [}</td><td>u32 length, then the bytes</td></tr>
 *   <tr><td>other array</td><td>{@code A}</td><td>u32 length, then each element encoded as an argument</td></tr>
 *   <tr><td>anything else</td><td>{@code O}</td><td>class name as a string value, then u32 {@code hashCode()}</td></tr>
 * </table>
 * Nested arrays deeper than {@value #MAX_DEPTH} levels are cut off with tag {@code X}. If {@code hashCode()}
 * throws (anything but an out-of-memory or internal JVM error), tag {@code !} and the class name stand in.
 */
public final class ArgumentDigest {

    /** How deep nested arrays are followed. */
    public static final int MAX_DEPTH = 4;

    private final MessageDigest sha256 = ChainHasher.newSha256();
    private byte[] scratch = new byte[128];
    private int len;

    /**
     * Digests the arguments into {@code out}.
     *
     * @param args argument values in declaration order; {@code null} means no arguments
     * @param out receives the 32-byte digest at offset 0
     */
    public void digest(Object[] args, byte[] out) {
        if (out.length < TrailFormat.HASH_LENGTH) {
            throw new IllegalArgumentException("out must hold 32 bytes");
        }
        // Start clean even if an earlier digest was cut short by an exception from an argument.
        sha256.reset();
        len = 0;
        if (args != null) {
            for (Object arg : args) {
                value(arg, 0);
            }
        }
        flush();
        try {
            sha256.digest(out, 0, TrailFormat.HASH_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output", e);
        }
    }

    /**
     * @param args argument values
     * @return a new 32-byte digest
     */
    public byte[] digest(Object... args) {
        byte[] out = new byte[TrailFormat.HASH_LENGTH];
        digest(args, out);
        return out;
    }

    private void value(Object v, int depth) {
        if (v == null) {
            tag('N');
        } else if (v instanceof CharSequence) {
            tag('s');
            chars((CharSequence) v);
        } else if (v instanceof Integer) {
            tag('I');
            int32((Integer) v);
        } else if (v instanceof Long) {
            tag('J');
            int64((Long) v);
        } else if (v instanceof Boolean) {
            tag('Z');
            put((Boolean) v ? 1 : 0);
        } else if (v instanceof Double) {
            tag('D');
            int64(Double.doubleToLongBits((Double) v));
        } else if (v instanceof Float) {
            tag('F');
            int32(Float.floatToIntBits((Float) v));
        } else if (v instanceof Short) {
            tag('S');
            int16((Short) v);
        } else if (v instanceof Character) {
            tag('C');
            int16((Character) v);
        } else if (v instanceof Byte) {
            tag('B');
            put((Byte) v);
        } else if (v instanceof Enum<?>) {
            tag('E');
            chars(((Enum<?>) v).getDeclaringClass().getName());
            chars(((Enum<?>) v).name());
        } else if (v instanceof byte[]) {
            byte[] bytes = (byte[]) v;
            tag('[');
            int32(bytes.length);
            flush();
            sha256.update(bytes);
        } else if (v.getClass().isArray()) {
            array(v, depth);
        } else {
            other(v);
        }
    }

    private void array(Object array, int depth) {
        if (depth >= MAX_DEPTH) {
            tag('X');
            return;
        }
        int n = java.lang.reflect.Array.getLength(array);
        tag('A');
        int32(n);
        if (array instanceof Object[]) {
            for (Object element : (Object[]) array) {
                value(element, depth + 1);
            }
        } else {
            // Primitive arrays other than byte[]: boxing here is off the common path.
            for (int i = 0; i < n; i++) {
                value(java.lang.reflect.Array.get(array, i), depth + 1);
            }
        }
    }

    private void other(Object v) {
        int hash;
        try {
            hash = v.hashCode();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw (VirtualMachineError) e;
            }
            tag('!');
            chars(v.getClass().getName());
            return;
        }
        tag('O');
        chars(v.getClass().getName());
        int32(hash);
    }

    private void chars(CharSequence s) {
        int n = s.length();
        int32(n);
        for (int i = 0; i < n; i++) {
            int16(s.charAt(i));
        }
    }

    private void tag(char t) {
        put(t);
    }

    private void int16(int v) {
        put(v >>> 8);
        put(v);
    }

    private void int32(int v) {
        put(v >>> 24);
        put(v >>> 16);
        put(v >>> 8);
        put(v);
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    private void put(int b) {
        if (len == scratch.length) {
            if (scratch.length >= 4096) {
                flush();
            } else {
                scratch = Arrays.copyOf(scratch, scratch.length * 2);
            }
        }
        scratch[len++] = (byte) b;
    }

    private void flush() {
        sha256.update(scratch, 0, len);
        len = 0;
    }
}
