package dev.agentmesh.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker for the fleet tests: Kafka's own server ({@code kafka.Kafka}, KRaft, broker and
 * controller in one process) in a JVM of its own, listening on loopback only, its data in a test folder. It can be
 * stopped and started again on the same ports and data, as an outage does. Its output goes to {@code broker.log}
 * in its folder.
 */
final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final Path config;
    private final int port;
    private final boolean fullJit;
    private Process process;

    private KafkaBroker(Path dir, Path config, int port, boolean fullJit) {
        this.dir = dir;
        this.config = config;
        this.port = port;
        this.fullJit = fullJit;
    }

    /**
     * Formats a new single-node cluster in {@code dir} and starts it.
     *
     * @param dir where the broker keeps its data, configuration and log
     * @return the running broker, ready for clients
     */
    static KafkaBroker start(Path dir) throws Exception {
        return start(dir, false);
    }

    /**
     * @param dir where the broker keeps its data, configuration and log
     * @param fullJit whether it runs with the JVM's optimising compiler, for measurements; else C1 only, which
     *     starts fastest
     * @return the running broker, ready for clients
     */
    static KafkaBroker start(Path dir, boolean fullJit) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        int controllerPort = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                ""));
        run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()), dir.resolve("format.log"), 120);
        KafkaBroker broker = new KafkaBroker(dir, config, port, fullJit);
        broker.startAgain();
        return broker;
    }

    /** @return the address clients bootstrap from */
    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again) on its ports and data, and waits until it serves clients. */
    void startAgain() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        process = command(List.of("kafka.Kafka", config.toString()), dir.resolve("broker.log"), fullJit).start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + ":\n" + log());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the broker did not serve clients within " + READY_TIMEOUT + " (" + last
                + "):\n" + log());
    }

    /** Stops the broker as an operator would (SIGTERM: a controlled shutdown), and waits until it has. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** @return the last of what the broker printed */
    String log() {
        try {
            String all = Files.readString(dir.resolve("broker.log"), StandardCharsets.UTF_8);
            return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
        } catch (IOException e) {
            return "(no broker log: " + e + ")";
        }
    }

    /** Kafka's server runs from this JVM's own class path, where the build put it (test scope). */
    private static ProcessBuilder command(List<String> mainAndArgs, Path log, boolean fullJit) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        if (!fullJit) {
            cmd.add(ForkedJvm.QUICK_START);
        }
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(mainAndArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    private static void run(List<String> mainAndArgs, Path log, long timeoutSeconds) throws Exception {
        Process p = command(mainAndArgs, log, false).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(mainAndArgs.get(0) + " did not finish within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(mainAndArgs.get(0) + " failed with " + p.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
