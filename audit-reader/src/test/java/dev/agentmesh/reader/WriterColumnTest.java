package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import org.junit.jupiter.api.Test;

/**
 * {@code export --kafka}'s lines: each one the single-writer format's line for the record, with its writer first. The
 * records here verify on a real chain, as {@link TopicTrails} hands them on.
 */
class WriterColumnTest {

    private final ChainVerifier chain = new ChainVerifier();
    private final VerifiedRecord genesis = next(new RecordEncoder().genesis(0, TrailFixture.START_MILLIS,
            Utf8.encode("w-1"), TrailFixture.POLICY_DIGEST, Utf8.encode("policy.yaml")), TrailFormat.zeroHash());

    @Test
    void textLeadsEachLineWithTheWriterAndTwoSpaces() {
        WriterColumn text = new WriterColumn(ExportFormat.TEXT.format(), ExportFormat.TEXT);
        String alone = line(ExportFormat.TEXT.format(), genesis);

        text.writer("w-1/0a1b2c3d4e5f");
        String first = line(text, genesis);
        text.writer("w-22/ffffffffffff");
        String second = line(text, genesis);

        assertThat(alone).startsWith("     0  2025-03-01T09:30:00.000Z  GENESIS ");
        assertThat(first).isEqualTo("w-1/0a1b2c3d4e5f  " + alone);
        assertThat(second).as("the writer named last").isEqualTo("w-22/ffffffffffff  " + alone);
        // Writer ids differ in width, so no heading could line up over them: the header is the one writer's.
        assertThat(text.header()).isEqualTo(ExportFormat.TEXT.format().header());
    }

    @Test
    void textEscapesAWriterIdThatWouldStartALineOfItsOwn() {
        WriterColumn text = new WriterColumn(ExportFormat.TEXT.format(), ExportFormat.TEXT);
        text.writer("w-1\n     9  2025-01-01T00:00:00.000Z  GENESIS");

        String line = line(text, genesis);

        assertThat(line.lines()).hasSize(1);
        assertThat(line).startsWith("w-1\\n     9  2025-01-01T00:00:00.000Z  GENESIS  " + "     0  ");
    }

    @Test
    void jsonLinesGetAWriterMemberFirstAndCsvAWriterColumn() {
        VerifiedRecord decision = next(new RecordEncoder().decision(RecordType.CALL_DENIED, 1,
                TrailFixture.START_MILLIS + 1000, 3, 1, Utf8.encode("bob"), Utf8.encode(""),
                Utf8.encode("com.acme.Bank"), Utf8.encode("transfer"), Utf8.encode("()V"),
                new ArgumentDigest().digest("arg")), genesis.chainHash());
        WriterColumn jsonl = new WriterColumn(ExportFormat.JSONL.format(), ExportFormat.JSONL);
        WriterColumn csv = new WriterColumn(ExportFormat.CSV.format(), ExportFormat.CSV);
        jsonl.writer("w-1/\"x\"");
        csv.writer("w-1/a,b");

        assertThat(line(jsonl, decision)).isEqualTo("{\"writer\":\"w-1/\\\"x\\\"\","
                + line(ExportFormat.JSONL.format(), decision).substring(1));
        assertThat(line(csv, decision)).isEqualTo("\"w-1/a,b\"," + line(ExportFormat.CSV.format(), decision));
        assertThat(csv.header()).isEqualTo("writer," + ExportFormat.CSV.format().header());
    }

    /** Chains the encoded record onto {@code previous} and verifies it, as a stream's next record. */
    private VerifiedRecord next(RecordEncoder encoded, byte[] previous) {
        int len = encoded.length();
        byte[] stored = new byte[len + TrailFormat.HASH_LENGTH];
        System.arraycopy(encoded.buffer(), 0, stored, 0, len);
        new ChainHasher().chain(previous, stored, 0, len, stored, len);
        try {
            return new VerifiedRecord().set(chain.check(stored, stored.length), stored, stored.length);
        } catch (dev.agentmesh.audit.format.ChainBreak e) {
            throw new AssertionError(e);
        }
    }

    private static String line(RecordFormat format, VerifiedRecord record) {
        LineBuffer out = new LineBuffer();
        format.append(record, out);
        return out.toString();
    }
}
