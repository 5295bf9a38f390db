package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads trails through the real audit reader jar. */
final class Trails {

    private static final Pattern VERIFIED = Pattern.compile("^OK (\\d+) records, head ([0-9a-f]{64}).*");
    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]+)");

    private Trails() {
    }

    /** Verifies the trail, expecting success, and returns the record count. */
    static long verifiedCount(Path dir) throws Exception {
        ForkedJvm.Result r = ForkedJvm.auditReader("verify", dir.toString()).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString()).hasSize(1);
        Matcher m = VERIFIED.matcher(r.lines().get(0));
        assertThat(m.matches()).as(r.toString()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Exports the trail as JSON lines, each parsed into a flat field map (values as their JSON text). */
    static List<Map<String, String>> export(Path dir) throws Exception {
        ForkedJvm.Result r = ForkedJvm.auditReader("export", dir.toString(), "--format", "jsonl").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Map<String, String>> records = new ArrayList<>();
        for (String line : r.lines()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                fields.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2).trim());
            }
            records.add(fields);
        }
        return records;
    }

    /** Writes a policy file. */
    static Path policy(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Rings 0..3 for agent-r0..agent-r3; everyone else sandboxed; calls outside a context are "anonymous". */
    static final String MATRIX_POLICY = String.join("\n",
            "version: 1",
            "defaults:",
            "  ring: 3",
            "  agent: anonymous",
            "agents:",
            "  agent-r0: {ring: 0}",
            "  agent-r1: {ring: 1}",
            "  agent-r2: {ring: 2}",
            "  agent-r3: {ring: 3}",
            "");
}
