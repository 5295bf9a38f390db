package dev.agentmesh.examples.trip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fake service's memory: one line per request that reached it, appended to a small file before the request
 * returns, so a later run (or a person) sees what it did even if the JVM died right after. Requests are
 * de-duplicated by idempotency key: a repeat changes nothing and is logged as {@code REPEAT}, which is what makes
 * "exactly once" visible.
 *
 * <p>Line format: {@code <EVENT> <key> <ref> <detail>}, tab-separated.
 */
final class Ledger {

    /**
     * One line.
     *
     * @param event BOOKED, CANCELLED, CHARGED, REFUNDED, BUSY, DECLINED or REPEAT
     * @param key the idempotency key of the request
     * @param ref the booking or payment reference, or {@code -}
     * @param detail what was asked for, for a person
     */
    record Entry(String event, String key, String ref, String detail) {
        String line() {
            return event + "\t" + key + "\t" + ref + "\t" + detail;
        }

        static Entry parse(String line) {
            String[] f = line.split("\t", 4);
            return new Entry(f[0], f[1], f[2], f.length > 3 ? f[3] : "");
        }
    }

    private final Path file;

    /** @param file the ledger file; created on the first request */
    Ledger(Path file) {
        this.file = file;
    }

    /** @return the file */
    Path file() {
        return file;
    }

    /** @return every line so far, oldest first */
    synchronized List<Entry> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    entries.add(Entry.parse(line));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the lines made under {@code key}, oldest first */
    List<Entry> entries(String key) {
        return entries().stream().filter(e -> e.key().equals(key)).toList();
    }

    /** @return the latest line under {@code key} with event {@code event} */
    Optional<Entry> find(String key, String event) {
        List<Entry> found = entries(key).stream().filter(e -> e.event().equals(event)).toList();
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** @return how many lines have event {@code event} */
    long count(String event) {
        return entries().stream().filter(e -> e.event().equals(event)).count();
    }

    /** Appends a line. */
    synchronized Entry append(String event, String key, String ref, String detail) {
        Entry entry = new Entry(event, key, ref, detail);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, entry.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entry;
    }

    /**
     * Books {@code item} under {@code key}, once: a repeat returns the first booking.
     *
     * @param prefix the reference's letter
     * @param firstRef the first reference number this service hands out
     */
    synchronized Booking book(String key, String item, String prefix, int firstRef) {
        Optional<Entry> booked = find(key, "BOOKED");
        if (booked.isPresent()) {
            append("REPEAT", key, booked.get().ref(), "book again: already booked, nothing done");
            return new Booking(booked.get().ref(), booked.get().detail(), key);
        }
        String ref = prefix + (firstRef + count("BOOKED"));
        append("BOOKED", key, ref, item);
        return new Booking(ref, item, key);
    }

    /**
     * Cancels the booking made under {@code key}, once.
     *
     * @return the cancelled booking's reference; empty if nothing was booked under the key, or it was cancelled
     *     already (a repeat, logged as such)
     */
    synchronized Optional<String> cancel(String key) {
        Optional<Entry> booked = find(key, "BOOKED");
        if (booked.isEmpty()) {
            append("REPEAT", key, "-", "cancel: nothing booked under this key, nothing done");
            return Optional.empty();
        }
        if (find(key, "CANCELLED").isPresent()) {
            append("REPEAT", key, booked.get().ref(), "cancel again: already cancelled, nothing done");
            return Optional.empty();
        }
        append("CANCELLED", key, booked.get().ref(), booked.get().detail());
        return Optional.of(booked.get().ref());
    }
}
