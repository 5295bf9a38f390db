package dev.agentmesh.audit.format;

import java.util.Arrays;

/**
 * The seqs of ALLOW records whose outcome has not come yet: a set of non-negative longs with open addressing and
 * linear probing.
 *
 * <p>Hand-written because it sits on the verifier's per-record path, where a {@code HashSet<Long>} boxes and
 * allocates a node for every call, and no primitive-collections library is among the project's dependencies. It
 * usually holds a handful of entries (calls in flight), so it stays in cache.
 */
final class OpenCallSet {

    private static final long EMPTY = -1;

    private long[] slots = newSlots(16);
    private int size;

    /** @param seq a non-negative seq, not already present */
    void add(long seq) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        insert(slots, seq);
        size++;
    }

    /**
     * @param seq a seq
     * @return whether it was present (it no longer is)
     */
    boolean remove(long seq) {
        if (seq < 0) {
            return false;
        }
        int mask = slots.length - 1;
        int i = home(seq, mask);
        while (slots[i] != seq) {
            if (slots[i] == EMPTY) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: pull later entries of the probe run into the gap, so lookups need no tombstones.
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
            int h = home(slots[j], mask);
            boolean movable = gap <= j ? (h <= gap || h > j) : (h <= gap && h > j);
            if (movable) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = EMPTY;
        size--;
        return true;
    }

    /** @return how many seqs are held */
    int size() {
        return size;
    }

    private void grow() {
        long[] bigger = newSlots(slots.length * 2);
        for (long s : slots) {
            if (s != EMPTY) {
                insert(bigger, s);
            }
        }
        slots = bigger;
    }

    private static void insert(long[] table, long seq) {
        int mask = table.length - 1;
        int i = home(seq, mask);
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = seq;
    }

    private static int home(long seq, int mask) {
        long h = seq * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private static long[] newSlots(int n) {
        long[] table = new long[n];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
