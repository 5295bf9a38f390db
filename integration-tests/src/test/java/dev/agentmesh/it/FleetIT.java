package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.it.apps.FleetMemberApp;
import dev.agentmesh.it.apps.HardeningApp;
import dev.agentmesh.it.apps.PacedCallsApp;
import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Files;
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
     * Runs {@code app} under the agent (with {@code agentOptions}) once per audit directory, all at once, doing
     * {@code meanwhile} (if any) while they run.
     */
    private static List<ForkedJvm.Result> runEach(List<Path> audits, String agentOptions, Class<?> app,
            Callable<Void> meanwhile, String... args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(audits.size());
        try {
            List<Future<ForkedJvm.Result>> runs = new ArrayList<>();
            for (Path audit : audits) {
                runs.add(pool.submit(() -> ForkedJvm.main(app)
                        .withAgent(agentOptions + ",audit.dir=" + audit)
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
        KeyFiles.generate(tmp.resolve("ops.pem"), tmp.resolve("ops.pub.pem"), "ops");
        String options = "policy=" + policy + ",checkpoint.key=" + tmp.resolve("ops.pem")
                + ",checkpoint.key.name=ops,checkpoint.every=5";
        for (ForkedJvm.Result r : runEach(audits, options, RingMatrixApp.class, null, "agent-r0", "agent-r3")) {
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
            String writer = FleetTopic.key(audit);
            writers.add(writer);
            // The trail on the topic is the local one, record for record: whole, in order, once, chain intact.
            List<AuditRecord> shipped = FleetTopic.verifiedRecords(topic.get(writer));
            assertThat(shipped).hasSize(local.size());
            assertThat(shipped.get(0).type()).isEqualTo(RecordType.GENESIS);
            assertThat(shipped).extracting(AuditRecord::seq)
                    .containsExactlyElementsOf(local.stream().map(r -> Long.parseLong(r.get("seq"))).toList());
        }
        assertThat(topic.keySet()).containsExactlyInAnyOrderElementsOf(writers);

        // The audit reader sees the same, each writer held against its newest signed checkpoint.
        ForkedJvm.Result verify = ForkedJvm.auditReader("verify", "--kafka", broker.bootstrap(), "--topic",
                "fleet-three", "--pubkey", tmp.resolve("ops.pub.pem").toString(), "--key-name", "ops").run();
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        long total = 0;
        for (Path audit : audits) {
            total += Trails.verifiedCount(audit);
        }
        assertThat(verify.lines()).as(verify.toString()).first()
                .isEqualTo("OK 3 writers, " + total + " records on fleet-three");
        for (String writer : writers) {
            assertThat(verify.lines()).as(verify.toString()).anyMatch(l -> l.startsWith("writer " + writer + ": ")
                    && l.matches(".*, checkpoint at \\d+ signed and matching"));
        }

        // export across every writer: each record once, led by its writer, in its writer's order.
        ForkedJvm.Result export = ForkedJvm.auditReader("export", "--kafka", broker.bootstrap(), "--topic",
                "fleet-three").run();
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.lines()).hasSize((int) total);
        for (String writer : writers) {
            List<String> own = export.lines().stream().filter(l -> l.startsWith("{\"writer\":\"" + writer + "\","))
                    .toList();
            assertThat(own).hasSize((int) Trails.verifiedCount(audits.get(writers.indexOf(writer))));
            for (int seq = 0; seq < own.size(); seq++) {
                assertThat(own.get(seq)).contains(",\"seq\":" + seq + ",");
            }
        }
        ForkedJvm.Result csv = ForkedJvm.auditReader("export", "--kafka", broker.bootstrap(), "--topic",
                "fleet-three", "--format", "csv", "--fields", "seq,type").run();
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        assertThat(csv.lines()).hasSize((int) total + 1).first().isEqualTo("writer,seq,type");

        // report across every writer: one set of counts for the fleet, and a row per writer.
        ForkedJvm.Result report = ForkedJvm.auditReader("report", "--kafka", broker.bootstrap(), "--topic",
                "fleet-three", "--pubkey", tmp.resolve("ops.pub.pem").toString(), "--key-name", "ops").run();
        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(report.lines()).as(report.toString()).contains(
                "  topic      fleet-three at " + broker.bootstrap(),
                "  verified   3 writers, " + total + " records, each writer's hash chain intact");
        List<String> rows = report.lines().stream().map(l -> l.strip().replaceAll(" +", " ")).toList();
        assertThat(rows).contains("Writers (3 in all)", "(all writers) " + total, "records " + total,
                "writer runs 3");
        for (int i = 0; i < writers.size(); i++) {
            String row = java.util.regex.Pattern.quote(writers.get(i)) + " " + Trails.verifiedCount(audits.get(i))
                    + " [0-9a-f]{12}\\S* at \\d+ signed and matching";
            assertThat(rows).as(report.toString()).anyMatch(l -> l.matches(row));
        }
    }

    @Test
    void aGapADuplicateOrAChangedRecordInOneWritersStreamIsNamed(@TempDir Path tmp) throws Exception {
        Path policy = policy(tmp, "fleet-tamper");
        List<Path> audits = List.of(tmp.resolve("audit-a"), tmp.resolve("audit-b"));
        for (ForkedJvm.Result r : runEach(audits, "policy=" + policy, RingMatrixApp.class, null, "agent-r0")) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        String victim = FleetTopic.key(audits.get(0));
        String other = FleetTopic.key(audits.get(1));
        Map<String, List<FleetTopic.Message>> original = FleetTopic.read(broker, "fleet-tamper");
        assertThat(original).containsOnlyKeys(victim, other);

        // Copies of the topic, as a mirror or a rewrite might make them, each with one writer's record 5 handled so.
        FleetTopic.copy(broker, original, "fleet-tamper-changed", victim, (i, m) -> i == 5
                ? List.of(FleetTopic.withByteFlipped(m, 20)) : List.of(m));
        FleetTopic.copy(broker, original, "fleet-tamper-gap", victim, (i, m) -> i == 5 ? List.of() : List.of(m));
        FleetTopic.copy(broker, original, "fleet-tamper-duplicate", victim, (i, m) -> i == 5 ? List.of(m, m)
                : List.of(m));
        FleetTopic.copy(broker, original, "fleet-tamper-none", victim, (i, m) -> List.of(m));

        assertThat(verifyTopic("fleet-tamper-none").exitCode()).isZero();
        assertTampered("fleet-tamper-changed", "TAMPERED: writer " + victim + " at record 5: hash mismatch");
        assertTampered("fleet-tamper-gap", "TAMPERED: writer " + victim + " at record 5: a gap: record 5 is missing, "
                + "record 6 comes next");
        assertTampered("fleet-tamper-duplicate", "TAMPERED: writer " + victim + " at record 6: a duplicate: "
                + "record 5 appears again");
        // No report of a topic that does not verify: the same verdict, on standard error, and no page written.
        ForkedJvm.Result report = ForkedJvm.auditReader("report", "--kafka", broker.bootstrap(), "--topic",
                "fleet-tamper-gap", "--html", tmp.resolve("fleet.html").toString()).run();
        assertThat(report.exitCode()).as(report.toString()).isEqualTo(1);
        assertThat(report.stdout()).isEmpty();
        assertThat(report.stderr().strip()).startsWith("TAMPERED: writer " + victim + " at record 5: a gap: ");
        assertThat(tmp.resolve("fleet.html")).doesNotExist();
    }

    @Test
    void aKillOnTheControlTopicStopsTheAgentInEveryJvmAndAForgedOrReplayedOneIsRefused(@TempDir Path tmp)
            throws Exception {
        KeyFiles.generate(tmp.resolve("ops.pem"), tmp.resolve("ops.pub.pem"), "ops");
        // Same name, another key: what someone without the operators' key can sign.
        KeyFiles.generate(tmp.resolve("forger.pem"), tmp.resolve("forger.pub.pem"), "ops");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY + String.join("\n",
                "fleet:",
                "  kafka: {bootstrap: \"" + broker.bootstrap() + "\"}",
                "  auditTopic: fleet-kill-audit",
                "  controlTopic: fleet-kill-control",
                "  operatorKey: ops.pub.pem",
                "  operatorKeyName: ops",
                ""));
        List<Path> audits = audits(tmp);
        // When the operator started sending the kill, and when the brokers had it.
        long[] sentAt = new long[2];
        List<ForkedJvm.Result> runs = runEach(audits, "policy=" + policy, FleetMemberApp.class, () -> {
            Thread.sleep(6_000); // the JVMs are up and reading the control topic
            ForkedJvm.Result forged = operator(tmp.resolve("forger.pem"), "kill", "--agent", "agent-r3", "--reason",
                    "forged");
            assertThat(forged.exitCode()).as(forged.toString()).isZero();
            Thread.sleep(2_000);
            sentAt[0] = System.currentTimeMillis();
            ForkedJvm.Result kill = operator(tmp.resolve("ops.pem"), "kill", "--agent", "agent-r3", "--reason",
                    "runaway");
            sentAt[1] = System.currentTimeMillis();
            assertThat(kill.exitCode()).as(kill.toString()).isZero();
            assertThat(kill.lines()).as(kill.toString()).singleElement().asString()
                    .startsWith("sent kill of agent:agent-r3 to every JVM on fleet-kill-control (command ");
            Thread.sleep(2_000);
            // The operator's own signed command, put on the topic again.
            FleetTopic.copy(broker, Map.of("agent:agent-r3", List.of(new FleetTopic.Message("",
                    FleetTopic.read(broker, "fleet-kill-control").get("agent:agent-r3").get(1).value()))),
                    "fleet-kill-control", "-", (i, m) -> List.of(m));
            Thread.sleep(2_000);
            Files.createFile(tmp.resolve("stop"));
            return null;
        }, "120", tmp.resolve("stop").toString());
        for (int i = 0; i < runs.size(); i++) {
            ForkedJvm.Result r = runs.get(i);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.lines()).as(r.toString()).contains("READY");
            long killedAt = r.lines().stream().filter(l -> l.startsWith("KILLED ")).mapToLong(
                    l -> Long.parseLong(l.substring(7))).findFirst().orElseThrow(() -> new AssertionError(r));
            // Not before the operator sent it, and within 2 s of the brokers having it (the command line's JVM takes a
            // second or two to start, which is not the agents' doing).
            assertThat(killedAt).as("when the kill took effect in that JVM").isBetween(sentAt[0], sentAt[1] + 2_000);
            List<Map<String, String>> control = Trails.export(audits.get(i)).stream()
                    .filter(rec -> "CONTROL".equals(rec.get("type"))).toList();
            assertThat(control).extracting(rec -> rec.get("event") + " " + rec.get("reason").replaceAll("[:(].*", "")
                    .strip()).containsExactly("COMMAND_REFUSED unsigned or forged", "KILLED runaway",
                    "COMMAND_REFUSED replayed");
        }

        // A JVM started after the kill reads the fleet's commands before its application runs: not one call goes.
        ForkedJvm.Result late = ForkedJvm.main(FleetMemberApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + tmp.resolve("audit-late"))
                .args("2", tmp.resolve("no-stop").toString())
                .run();
        assertThat(late.exitCode()).as(late.toString()).isZero();
        assertThat(late.stderr()).as(late.toString()).doesNotContain("were not read within");
        assertThat(late.lines()).as(late.toString()).doesNotContain("READY")
                .anyMatch(l -> l.matches("CALLS 0 [1-9]\\d*"));
    }

    private static ForkedJvm.Result operator(Path key, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kafka", broker.bootstrap(), "--key", key.toString(), "--key-name", "ops", "--topic",
                "fleet-kill-control", "--operator", "alice"));
        return ForkedJvm.agentCli(all.toArray(String[]::new)).run();
    }

    /** @return what {@code fleet --pid} says of the JVM: records written, acknowledged, and the lag */
    private static long[] fleetStatus(long pid) throws Exception {
        ForkedJvm.Result r = ForkedJvm.agentCli("fleet", "--pid", Long.toString(pid)).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString()).hasSize(2).first()
                .isEqualTo("TOPIC\tTRAIL\tWRITTEN\tACKNOWLEDGED\tLAG\tCOMMANDS");
        String[] row = r.lines().get(1).split("\t");
        assertThat(row[0]).isEqualTo("fleet-outage");
        assertThat(row[5]).isEqualTo("off");
        return new long[] {Long.parseLong(row[2]), Long.parseLong(row[3]), Long.parseLong(row[4])};
    }

    private static ForkedJvm.Result verifyTopic(String topic) throws Exception {
        return ForkedJvm.auditReader("verify", "--kafka", broker.bootstrap(), "--topic", topic).run();
    }

    private static void assertTampered(String topic, String message) throws Exception {
        ForkedJvm.Result r = verifyTopic(topic);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        // The verdict, as every failed verify gives it: one line on stdout.
        assertThat(r.lines()).as(r.toString()).hasSize(1).first().asString().startsWith(message);
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
        assertThat(topic).containsOnlyKeys(FleetTopic.key(audit));
        List<AuditRecord> shipped = FleetTopic.verifiedRecords(topic.values().iterator().next());
        assertThat(shipped).hasSize((int) local);
        assertThat(shipped).filteredOn(r -> r.type() == RecordType.GENESIS).hasSize(3);
    }

    @Test
    void aTrailBegunAnewByTheSameRunIsAStreamOfItsOwn(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        // The audit directory is deleted under the running agent (once Kafka has its first call), then put back: the
        // run starts a second trail.
        ForkedJvm.Result run = ForkedJvm.main(HardeningApp.class)
                .withAgent("policy=" + policy(tmp, "fleet-anew") + ",audit.dir=" + audit)
                .args("delete-audit-dir", audit.toString(), "shipped")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stderr()).contains("is back and open again");

        Map<String, List<FleetTopic.Message>> topic = FleetTopic.read(broker, "fleet-anew");
        String second = FleetTopic.key(audit);
        String writer = second.substring(0, second.indexOf('/'));
        // Two trails of one writer: two streams, each a chain of its own from its own GENESIS.
        assertThat(topic.keySet()).as(run + " " + second + " " + Trails.verifiedCount(audit)
                + topic.values().stream().map(List::size).toList()).hasSize(2).contains(second);
        assertThat(topic.keySet()).allMatch(k -> k.startsWith(writer + "/"));
        assertThat(FleetTopic.verifiedRecords(topic.get(second))).hasSize((int) Trails.verifiedCount(audit));
        for (List<FleetTopic.Message> stream : topic.values()) {
            assertThat(FleetTopic.verifiedRecords(stream).get(0).type()).isEqualTo(RecordType.GENESIS);
        }
        // The first trail: its GENESIS and the call made before its files went.
        assertThat(topic.entrySet()).filteredOn(e -> !e.getKey().equals(second)).singleElement()
                .satisfies(e -> assertThat(FleetTopic.verifiedRecords(e.getValue())).extracting(AuditRecord::type)
                        .startsWith(RecordType.GENESIS, RecordType.CALL_ALLOWED, RecordType.CALL_RETURNED));
        ForkedJvm.Result verify = verifyTopic("fleet-anew");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.lines()).first().asString().startsWith("OK 2 writers, ");
    }

    @Test
    void aBrokerOutageLosesNothingAndDuplicatesNothing(@TempDir Path tmp) throws Exception {
        Path policy = policy(tmp, "fleet-outage");
        List<Path> audits = audits(tmp);
        // About 200 calls a second each, until told to stop: the broker is away for some 5 s in the middle. Meanwhile
        // an operator asks one JVM how far behind it is: behind while the broker is away, caught up once it is back.
        long[][] lag = new long[2][];
        List<ForkedJvm.Result> runs = runEach(audits, "policy=" + policy, PacedCallsApp.class, () -> {
            Thread.sleep(4_000);
            long pid = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().orElse("").contains(PacedCallsApp.class.getName()))
                    .findFirst().orElseThrow().pid();
            broker.stop();
            Thread.sleep(2_000);
            lag[0] = fleetStatus(pid);
            Thread.sleep(1_000);
            broker.startAgain();
            Thread.sleep(4_000);
            lag[1] = fleetStatus(pid);
            Files.createFile(tmp.resolve("stop"));
            return null;
        }, "120", "5", tmp.resolve("stop").toString());
        // written, acknowledged, lag (read after the other two, as calls go on): it grew in the outage, and it was made
        // up after.
        assertThat(lag[0][2]).isGreaterThanOrEqualTo(lag[0][0] - lag[0][1]).isGreaterThan(100);
        assertThat(lag[1][1]).isGreaterThan(lag[0][0]);
        assertThat(lag[1][2]).isLessThan(lag[0][2]);
        for (ForkedJvm.Result r : runs) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.lines()).as(r.toString()).anyMatch(l -> l.startsWith("CALLS "));
        }

        Map<String, List<FleetTopic.Message>> topic = FleetTopic.read(broker, "fleet-outage");
        assertThat(topic).hasSize(3);
        for (Path audit : audits) {
            long local = Trails.verifiedCount(audit);
            String writer = FleetTopic.key(audit);
            // The chain check fails on any gap or repeat: every record once, in order, as the local queue has it.
            assertThat(FleetTopic.verifiedRecords(topic.get(writer))).as(writer).hasSize((int) local);
            assertThat(local).as("calls were made during the outage").isGreaterThan(3_000);
        }
    }
}
