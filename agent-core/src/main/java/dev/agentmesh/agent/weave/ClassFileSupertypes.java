package dev.agentmesh.agent.weave;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the internal names of a class's superclass and interfaces from its class file. By hand: it runs before the
 * application's {@code main}, where loading ASM (or ByteBuddy) would cost the start-up it is there to save, and the
 * JDK's own class-file API arrives only in JDK 24. It walks the constant pool and nothing after the interfaces.
 */
final class ClassFileSupertypes {

    private static final int MAGIC = 0xCAFEBABE;

    private ClassFileSupertypes() {
    }

    /**
     * @param classFile a class file
     * @return the internal names of its superclass (none for {@code java/lang/Object} and modules) and interfaces
     * @throws IllegalArgumentException if it is not a well-formed class file
     */
    static List<String> of(byte[] classFile) {
        try {
            return read(classFile);
        } catch (IndexOutOfBoundsException truncated) {
            throw new IllegalArgumentException("truncated class file", truncated);
        }
    }

    private static List<String> read(byte[] b) {
        if (u4(b, 0) != MAGIC) {
            throw new IllegalArgumentException("not a class file");
        }
        int count = u2(b, 8);
        // Offsets of each constant's first byte after its tag; Class and Utf8 are all this needs.
        int[] offsets = new int[count];
        byte[] tags = new byte[count];
        int at = 10;
        for (int i = 1; i < count; i++) {
            byte tag = b[at];
            tags[i] = tag;
            offsets[i] = at + 1;
            at += 1 + switch (tag) {
                case 1 -> 2 + u2(b, at + 1);          // Utf8
                case 3, 4, 9, 10, 11, 12, 17, 18 -> 4; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> 8;                        // Long, Double: they take two entries
                case 7, 8, 16, 19, 20 -> 2;            // Class, String, MethodType, Module, Package
                case 15 -> 3;                          // MethodHandle
                default -> throw new IllegalArgumentException("unknown constant tag " + tag + " at entry " + i);
            };
            if (tag == 5 || tag == 6) {
                i++;
            }
        }
        int superClass = u2(b, at + 4);
        int interfaces = u2(b, at + 6);
        List<String> names = new ArrayList<>(interfaces + 1);
        if (superClass != 0) {
            names.add(className(b, tags, offsets, superClass));
        }
        for (int i = 0; i < interfaces; i++) {
            names.add(className(b, tags, offsets, u2(b, at + 8 + 2 * i)));
        }
        return names;
    }

    private static String className(byte[] b, byte[] tags, int[] offsets, int classIndex) {
        if (classIndex >= tags.length || tags[classIndex] != 7) {
            throw new IllegalArgumentException("entry " + classIndex + " is not a class");
        }
        int nameIndex = u2(b, offsets[classIndex]);
        if (nameIndex >= tags.length || tags[nameIndex] != 1) {
            throw new IllegalArgumentException("entry " + nameIndex + " is not a name");
        }
        int at = offsets[nameIndex];
        // Class names in a valid class file are almost always ASCII; modified UTF-8 otherwise, which
        // DataInputStream decodes.
        try {
            return new java.io.DataInputStream(new java.io.ByteArrayInputStream(b, at, 2 + u2(b, at))).readUTF();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("entry " + nameIndex + " is not modified UTF-8", e);
        }
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
