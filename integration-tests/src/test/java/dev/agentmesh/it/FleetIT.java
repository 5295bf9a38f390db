package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.it.apps.PacedCallsApp;
import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet mode against a real Kafka broker on loopback ({@link KafkaBroker}): agent JVMs ship their trails to one topic,
 * each trail arriving whole, in order and once.
 */
class FleetIT {

    @TempDir
    static Path brokerDir;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /** The matrix policy, with a fleet section shipping to {@code topic}. */
    private static Path policy(Path dir, String topic) throws Exception {
        return Trails.policy(dir, Trails.MATRIX_POLICY + String.join("\n",
                "fleet:",
                "  kafka: {bootstrap: \"" + broker.bootstrap() + "\"}",
                "  auditTopic: " + topic,
                ""));
    }

    private static List<Path> audits(Path tmp) {
        return List.of(tmp.resolve("audit-1"), tmp.resolve("audit-2"), tmp.resolve("audit-3"));
    }

    /**
     * Runs {@code app} under the agent once per audit directory, all at once, doing {@code meanwhile} (if any) while
     * they run.
     */
    private static List<ForkedJvm.Result> runEach(List<Path> audits, Path policy, Class<?> app,
            Callable<Void> meanwhile, String... args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(audits.size());
        try {
            List<Future<ForkedJvm.Result>> runs = new ArrayList<>();
            for (Path audit : audits) {
                runs.add(pool.submit(() -> ForkedJvm.main(app)
                        .withAgent("policy=" + policy + ",audit.dir=" + audit)
                        .args(args)
                        .run()));
            }
            if (meanwhile != null) {
                meanwhile.call();
            }
            List<ForkedJvm.Result> results = new ArrayList<>();
            for (Future<ForkedJvm.Result> run : runs) {
                results.add(run.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void threeAgentJvmsShipTheirTrailsToOneTopicAndEveryChainVerifies(@TempDir Path tmp) throws Exception {
        Path policy = policy(tmp, "fleet-three");
        List<Path> audits = audits(tmp);
        for (ForkedJvm.Result r : runEach(audits, policy, RingMatrixApp.class, null, "agent-r0", "agent-r3")) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.lines()).as(r.toString()).contains("agent-r0 ring0 ALLOW", "agent-r3 ring0 DENY");
            assertThat(r.stderr()).as(r.toString())
                    .contains("shipping the audit trail to Kafka topic fleet-three from record 0");
        }

        Map<String, List<FleetTopic.Message>> topic = FleetTopic.read(broker, "fleet-three");
        assertThat(topic).hasSize(3);
        List<String> writers = new ArrayList<>();
        for (Path audit : audits) {
            List<Map<String, String>> local = Trails.export(audit);
            String writer = local.get(0).get("writerId");
            writers.add(writer);
            // The trail on the topic is the local one, record for record: whole, in order, once, chain intact.
            List<AuditRecord> shipped = FleetTopic.verifiedRecords(topic.get(writer));
            assertThat(shipped).hasSize(local.size());
            assertThat(shipped.get(0).type()).isEqualTo(RecordType.GENESIS);
            assertThat(shipped).extracting(AuditRecord::seq)
                    .containsExactlyElementsOf(local.stream().map(r -> Long.parseLong(r.get("seq"))).toList());
        }
        assertThat(topic.keySet()).containsExactlyInAnyOrderElementsOf(writers);
    }

    @Test
    void aRestartedJvmGoesOnFromWhereItsTrailOnTheTopicEnds(@TempDir Path tmp) throws Exception {
        Path policy = policy(tmp, "fleet-restart");
        Path audit = tmp.resolve("audit");
        for (int run = 1; run <= 3; run++) {
            ForkedJvm.Result r = ForkedJvm.main(RingMatrixApp.class)
                    .withAgent("policy=" + policy + ",audit.dir=" + audit)
                    .args("agent-r0")
                    .run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        // One trail (three runs, three GENESIS records, one chain), shipped once: each run sent only what was new.
        long local = Trails.verifiedCount(audit);
        Map<String, List<FleetTopic.Message>> topic = FleetTopic.read(broker, "fleet-restart");
        assertThat(topic).containsOnlyKeys(Trails.export(audit).get(0).get("writerId"));
        List<AuditRecord> shipped = FleetTopic.verifiedRecords(topic.values().iterator().next());
        assertThat(shipped).hasSize((int) local);
        assertThat(shipped).filteredOn(r -> r.type() == RecordType.GENESIS).hasSize(3);
    }

    @Test
    void aBrokerOutageLosesNothingAndDuplicatesNothing(@TempDir Path tmp) throws Exception {
        Path policy = policy(tmp, "fleet-outage");
        List<Path> audits = audits(tmp);
        // About 200 calls a second each, for 14 s: the broker is away for some 5 s in the middle.
        List<ForkedJvm.Result> runs = runEach(audits, policy, PacedCallsApp.class, () -> {
            Thread.sleep(4_000);
            broker.stop();
            Thread.sleep(3_000);
            broker.startAgain();
            return null;
        }, "14", "5");
        for (ForkedJvm.Result r : runs) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.lines()).as(r.toString()).anyMatch(l -> l.startsWith("CALLS "));
        }

        Map<String, List<FleetTopic.Message>> topic = FleetTopic.read(broker, "fleet-outage");
        assertThat(topic).hasSize(3);
        for (Path audit : audits) {
            long local = Trails.verifiedCount(audit);
            String writer = Trails.export(audit).get(0).get("writerId");
            // The chain check fails on any gap or repeat: every record once, in order, as the local queue has it.
            assertThat(FleetTopic.verifiedRecords(topic.get(writer))).as(writer).hasSize((int) local);
            assertThat(local).as("calls were made during the outage").isGreaterThan(3_000);
        }
    }
}
