package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.FleetFormat;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import dev.agentmesh.audit.merkle.MerkleAccumulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A fleet's audit topic and checkpoint topic in memory, filled as agents' forwarders fill them: each writer's stream
 * a chain of stored records, encoded and chained as the agent does ({@link RecordEncoder}, {@link ChainHasher}), each
 * message keyed by its writer. Messages are read in the order they were added, so streams interleave as they do
 * across partitions and polls. Records are timed one second apart from each writer's own start.
 */
final class TopicFixture {

    /** One message: its key, its {@link FleetFormat#KIND} header, its value. */
    record Message(String key, String kind, byte[] value) {
    }

    final List<Message> records = new ArrayList<>();
    final List<Message> checkpoints = new ArrayList<>();
    private final Map<String, Stream> streams = new LinkedHashMap<>();

    /**
     * @param key the writer's trail key
     * @return its stream, begun with its GENESIS at {@link TrailFixture#START_MILLIS} on first use
     */
    Stream writer(String key) {
        return writer(key, TrailFixture.START_MILLIS);
    }

    /**
     * @param key the writer's trail key
     * @param startMillis the time of its GENESIS, if this is its first use
     * @return its stream
     */
    Stream writer(String key, long startMillis) {
        return streams.computeIfAbsent(key, k -> new Stream(k, startMillis));
    }

    /** @return the topics, named as given: what {@code --kafka} and {@code --topic} would read */
    TopicTrails.Topic as(String topic, String bootstrap) {
        return new TopicTrails.Topic() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public String bootstrap() {
                return bootstrap;
            }

            @Override
            public void readRecords(TopicTrails.Messages messages) throws Verdict {
                for (Message m : records) {
                    messages.accept(m.key(), m.kind(), m.value());
                }
            }

            @Override
            public void readCheckpoints(TopicTrails.Messages messages) throws Verdict {
                for (Message m : checkpoints) {
                    messages.accept(m.key(), m.kind(), m.value());
                }
            }
        };
    }

    /**
     * @return commands made as the reader makes them, except that {@code report --kafka} reads these topics, under
     *     the names its options give
     */
    CommandLine.IFactory factory() {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == ReportCommand.class) {
                    return cls.cast(new ReportCommand(source -> as(source.topic(), source.bootstrap())));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
    }

    /**
     * @param key a writer
     * @param seq a record of its stream
     * @return where that record's message is on the audit topic, to change, drop or repeat it there
     */
    int indexOf(String key, long seq) {
        int n = 0;
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).key().equals(key) && n++ == seq) {
                return i;
            }
        }
        throw new IllegalArgumentException(key + " has no record " + seq);
    }

    /** @return a copy of {@code m} with one bit of its value's byte {@code at} flipped */
    static Message withByteFlipped(Message m, int at) {
        byte[] value = m.value().clone();
        value[at] ^= 0x01;
        return new Message(m.key(), m.kind(), value);
    }

    /** One writer's stream, appended to the audit topic record by record. */
    final class Stream {
        private final String key;
        private final long startMillis;
        private final RecordEncoder encoder = new RecordEncoder();
        private final ChainHasher hasher = new ChainHasher();
        private final List<byte[]> stored = new ArrayList<>();
        private byte[] previous = TrailFormat.zeroHash();
        /** The time of the next record, if {@link #at(long)} set one. */
        private Long nextTime;

        private Stream(String key, long startMillis) {
            this.key = key;
            this.startMillis = startMillis;
            encoder.genesis(0, startMillis, Utf8.encode(key.split("/")[0]), TrailFixture.POLICY_DIGEST,
                    Utf8.encode("policy.yaml"));
            append();
        }

        /** Appends an ALLOW or DENY record outside any session. */
        Stream decision(RecordType type, String agentId, int agentRing, int requiredRing, String className,
                String method) {
            encoder.decision(type, size(), timeOf(size()), agentRing, requiredRing, Utf8.encode(agentId),
                    Utf8.encode(""), Utf8.encode(className), Utf8.encode(method), Utf8.encode("()V"),
                    new ArgumentDigest().digest("arg"));
            return append();
        }

        /** Appends a RETURNED or THREW record closing this stream's call at {@code callSeq}. */
        Stream outcome(RecordType type, long callSeq, long durationNanos) {
            encoder.outcome(type, size(), timeOf(size()), callSeq, durationNanos,
                    Utf8.encode(type == RecordType.CALL_THREW ? "java.io.IOException" : ""), Utf8.encode(""));
            return append();
        }

        /** Appends a CONTROL record. */
        Stream control(ControlEvent event, String subject, String actor, String reason, String detail) {
            encoder.control(size(), timeOf(size()), event, Utf8.encode(subject), Utf8.encode(actor),
                    Utf8.encode(reason), Utf8.encode(detail));
            return append();
        }

        /** Puts a checkpoint of the stream as it is now on the checkpoint topic, signed by {@code signer}. */
        Stream checkpoint(CheckpointSigner signer) {
            return checkpoint(size(), root(size()), signer);
        }

        /** Puts a checkpoint of {@code size} records with {@code root} on the checkpoint topic: true or not. */
        Stream checkpoint(long size, byte[] root, CheckpointSigner signer) {
            byte[] note = SignedCheckpoint.sign(Checkpoint.of(Checkpoint.trailOrigin(key.split("/")[0]), size, root,
                    startMillis), signer).toBytes();
            checkpoints.add(new Message(key, FleetFormat.CHECKPOINT, note));
            return this;
        }

        /** @return the Merkle root of its first {@code size} records, computed apart from the reader */
        byte[] root(long size) {
            MerkleAccumulator tree = new MerkleAccumulator();
            for (byte[] s : stored.subList(0, (int) size)) {
                tree.appendData(s, 0, s.length - TrailFormat.HASH_LENGTH);
            }
            return tree.root();
        }

        /** @return how many records it holds */
        long size() {
            return stored.size();
        }

        /** @return the chain hash of its last record */
        byte[] headHash() {
            byte[] last = stored.get(stored.size() - 1);
            return Arrays.copyOfRange(last, last.length - TrailFormat.HASH_LENGTH, last.length);
        }

        /**
         * Stamps the next record with {@code timeMillis} instead of its one-second slot, as a writer whose wall
         * clock was stepped would.
         */
        Stream at(long timeMillis) {
            nextTime = timeMillis;
            return this;
        }

        private long timeOf(long seq) {
            return startMillis + seq * 1000;
        }

        private Stream append() {
            if (nextTime != null) {
                encoder.patchTime(nextTime);
                nextTime = null;
            }
            int len = encoder.length();
            byte[] record = new byte[len + TrailFormat.HASH_LENGTH];
            System.arraycopy(encoder.buffer(), 0, record, 0, len);
            hasher.chain(previous, record, 0, len, record, len);
            previous = Arrays.copyOfRange(record, len, record.length);
            stored.add(record);
            records.add(new Message(key, FleetFormat.RECORD, record));
            return this;
        }
    }
}
