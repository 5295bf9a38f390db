package dev.agentmesh.agent.weave;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the few things the start-up gate needs from a class file: its supertypes, and the types its method
 * descriptors return (which include every interface a lambda in it implements). By hand: it runs before the
 * application's {@code main}, where loading ASM (or ByteBuddy) would cost the start-up it is there to save, and the
 * JDK's own class-file API arrives only in JDK 24. It walks the constant pool and nothing after the interfaces.
 */
final class ClassFiles {

    private static final int MAGIC = 0xCAFEBABE;
    private static final byte UTF8 = 1;
    private static final byte CLASS = 7;

    private ClassFiles() {
    }

    /**
     * @param classFile a class file
     * @return the internal names of its superclass (none for {@code java/lang/Object} and modules) and interfaces
     * @throws IllegalArgumentException if it is not a well-formed class file
     */
    static List<String> supertypes(byte[] classFile) {
        try {
            Pool pool = Pool.read(classFile);
            byte[] b = classFile;
            int at = pool.end;
            int superClass = u2(b, at + 4);
            int interfaces = u2(b, at + 6);
            List<String> names = new ArrayList<>(interfaces + 1);
            if (superClass != 0) {
                names.add(pool.className(superClass));
            }
            for (int i = 0; i < interfaces; i++) {
                names.add(pool.className(u2(b, at + 8 + 2 * i)));
            }
            return names;
        } catch (IndexOutOfBoundsException truncated) {
            throw new IllegalArgumentException("truncated class file", truncated);
        }
    }

    /**
     * The object types that method descriptors in the constant pool return: a lambda's call site returns the
     * interface it implements ({@code (Lcom/acme/Ledger;)Lcom/acme/Payments;}), so this holds every such interface
     * (and the return types of methods it calls or declares).
     *
     * @param classFile a class file
     * @return internal names, in pool order, without repeats
     * @throws IllegalArgumentException if it is not a well-formed class file
     */
    static Set<String> returnedTypes(byte[] classFile) {
        try {
            Pool pool = Pool.read(classFile);
            Set<String> names = new LinkedHashSet<>();
            for (int i = 1; i < pool.tags.length; i++) {
                if (pool.tags[i] == UTF8 && u2(classFile, pool.offsets[i]) > 0 && classFile[pool.offsets[i] + 2] == '(') {
                    String descriptor = pool.utf8(i);
                    int close = descriptor.lastIndexOf(')');
                    if (close >= 0 && descriptor.startsWith("L", close + 1) && descriptor.endsWith(";")) {
                        names.add(descriptor.substring(close + 2, descriptor.length() - 1));
                    }
                }
            }
            return names;
        } catch (IndexOutOfBoundsException truncated) {
            throw new IllegalArgumentException("truncated class file", truncated);
        }
    }

    /** The constant pool's entries: where each starts, and its tag. */
    private static final class Pool {
        final byte[] b;
        final int[] offsets;
        final byte[] tags;
        /** The offset just past the pool: the access flags. */
        final int end;

        private Pool(byte[] b, int[] offsets, byte[] tags, int end) {
            this.b = b;
            this.offsets = offsets;
            this.tags = tags;
            this.end = end;
        }

        static Pool read(byte[] b) {
            if (u4(b, 0) != MAGIC) {
                throw new IllegalArgumentException("not a class file");
            }
            int count = u2(b, 8);
            // Offsets of each constant's first byte after its tag.
            int[] offsets = new int[count];
            byte[] tags = new byte[count];
            int at = 10;
            for (int i = 1; i < count; i++) {
                byte tag = b[at];
                tags[i] = tag;
                offsets[i] = at + 1;
                at += 1 + switch (tag) {
                    case UTF8 -> 2 + u2(b, at + 1);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> 4; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                    case 5, 6 -> 8;                        // Long, Double: they take two entries
                    case CLASS, 8, 16, 19, 20 -> 2;        // Class, String, MethodType, Module, Package
                    case 15 -> 3;                          // MethodHandle
                    default -> throw new IllegalArgumentException("unknown constant tag " + tag + " at entry " + i);
                };
                if (tag == 5 || tag == 6) {
                    i++;
                }
            }
            return new Pool(b, offsets, tags, at);
        }

        String className(int classIndex) {
            if (classIndex >= tags.length || tags[classIndex] != CLASS) {
                throw new IllegalArgumentException("entry " + classIndex + " is not a class");
            }
            return utf8(u2(b, offsets[classIndex]));
        }

        String utf8(int index) {
            if (index >= tags.length || tags[index] != UTF8) {
                throw new IllegalArgumentException("entry " + index + " is not a name");
            }
            int at = offsets[index];
            // Modified UTF-8, which DataInputStream decodes.
            try {
                return new java.io.DataInputStream(new java.io.ByteArrayInputStream(b, at, 2 + u2(b, at)))
                        .readUTF();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("entry " + index + " is not modified UTF-8", e);
            }
        }
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
