package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One flipped byte in a queue file makes the real reader fail and name the record. */
class TamperDetectionIT {

    private static final String TARGET = "tamper-target-agent";

    @Test
    void aFlippedByteIsFoundAndTheRecordNamed(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args("agent-r1", TARGET, "agent-r2")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        long count = Trails.verifiedCount(audit);

        // The target agent's first record: the only records carrying its id are its ALLOW/DENY decisions.
        List<Map<String, String>> records = Trails.export(audit);
        long targetSeq = records.stream().filter(r -> TARGET.equals(r.get("agentId")))
                .mapToLong(r -> Long.parseLong(r.get("seq"))).min().orElseThrow();

        Path queueFile;
        try (Stream<Path> files = Files.list(audit)) {
            queueFile = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(queueFile);
        int at = indexOf(bytes, TARGET.getBytes(StandardCharsets.UTF_8));
        assertThat(at).as("the target agent id is in the queue file").isPositive();
        bytes[at + 3] ^= 0x01;
        Files.write(queueFile, bytes);

        ForkedJvm.Result verify = ForkedJvm.auditReader("verify", audit.toString()).run();
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.stdout() + verify.stderr()).contains("record " + targetSeq + ":");
        assertThat(targetSeq).isBetween(1L, count - 1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
