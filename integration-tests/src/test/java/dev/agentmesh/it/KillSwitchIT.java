package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.KillSwitchApp;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's command line against a running JVM: {@code java -jar agentmesh-javaagent.jar kill --pid ...}
 * reaches it through the attach API and JMX, and when it exits 0 the kill has taken effect there: the killed agent's
 * call in flight was interrupted, its saga compensated (its undo exempt from the kill), its next call fails with
 * {@code AgentKilledError}, other agents go on, and the trail shows all of it. Then {@code revive} lifts it.
 */
class KillSwitchIT {

    private static final String POLICY = String.join("\n", "version: 1", "defaults:", "  ring: 3", "agents:",
            "  researcher-1: {ring: 2}", "  analyst-2: {ring: 2}", "  helper-3: {ring: 2}", "liability:",
            "  vouches:", "    - {voucher: researcher-1, vouchee: helper-3, share: 0.4}", "");

    @TempDir
    Path tmp;

    @Test
    void theCommandLineKillReachesARunningJvmAndTakesEffectThereBeforeItExits() throws Exception {
        Path audit = tmp.resolve("audit");
        Path out = tmp.resolve("app.out");
        Path revived = tmp.resolve("revived");
        Process app = start(List.of("-javaagent:" + ForkedJvm.AGENT_JAR + "=policy=" + Trails.policy(tmp, POLICY)
                + ",audit.dir=" + audit), "run", revived.toString(), out);
        try {
            long pid = awaitReady(out, app);

            ForkedJvm.Result status = ForkedJvm.agentCli("status", "--pid", Long.toString(pid)).run();
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("researcher-1\t2\trunning\t1");

            ForkedJvm.Result kill = ForkedJvm.agentCli("kill", "--pid", Long.toString(pid), "--agent",
                    "researcher-1", "--reason", "runaway refunds", "--operator", "ops-oncall").run();

            assertThat(kill.exitCode()).as(kill.toString()).isZero();
            assertThat(kill.stdout()).containsPattern(
                    "killed agent:researcher-1: 1 call in flight interrupted, sagas compensating \\[trip-[0-9a-f]{12}]");
            ForkedJvm.Result list = ForkedJvm.agentCli("list", "--pid", Long.toString(pid)).run();
            assertThat(list.stdout()).as(list.toString()).contains("agent:researcher-1\tops-oncall\t")
                    .contains("\trunaway refunds");
            ForkedJvm.Result killedStatus = ForkedJvm.agentCli("status", "--pid", Long.toString(pid)).run();
            assertThat(killedStatus.stdout()).contains("researcher-1\t2\tkilled (agent:researcher-1)\t0")
                    .contains("analyst-2\t2\trunning\t0")
                    .as("researcher-1 vouched for helper-3: the kill's blast radius demotes it")
                    .contains("helper-3\t2\tquarantined (demote until ");

            String lines = awaitLine(out, app, "OTHER ");
            assertThat(lines).contains("IN-FLIGHT InterruptedException").contains("UNDO F-1 as researcher-1")
                    .containsPattern("SAGA COMPENSATED trip-[0-9a-f]{12}")
                    .contains("NEXT-CALL AgentKilledError: agent researcher-1 is killed (agent:researcher-1 by "
                            + "ops-oncall: runaway refunds)")
                    .contains("OTHER results for others go on");

            ForkedJvm.Result quarantine = ForkedJvm.agentCli("quarantine", "--pid", Long.toString(pid), "--agent",
                    "analyst-2", "--for", "10m", "--mode", "block", "--reason", "odd reads", "--operator", "ops-oncall")
                    .run();
            assertThat(quarantine.exitCode()).as(quarantine.toString()).isZero();
            assertThat(quarantine.stdout()).startsWith("quarantined agent:analyst-2 (block) until ");
            assertThat(ForkedJvm.agentCli("status", "--pid", Long.toString(pid)).run().stdout())
                    .contains("analyst-2\t2\tquarantined (block until ");
            ForkedJvm.Result release = ForkedJvm.agentCli("release", "--pid", Long.toString(pid), "--agent",
                    "analyst-2", "--reason", "explained", "--operator", "ops-oncall").run();
            assertThat(release.stdout()).as(release.toString()).contains("released agent:analyst-2");
            ForkedJvm.Result badDuration = ForkedJvm.agentCli("quarantine", "--pid", Long.toString(pid), "--agent",
                    "analyst-2", "--for", "forever", "--reason", "x").run();
            assertThat(badDuration.exitCode()).as(badDuration.toString()).isEqualTo(5);
            assertThat(badDuration.stderr().strip()).startsWith("agentmesh: the agent in JVM " + pid + " refused:")
                    .doesNotContain("\n");

            ForkedJvm.Result revive = ForkedJvm.agentCli("revive", "--pid", Long.toString(pid), "--agent",
                    "researcher-1", "--reason", "fixed", "--operator", "ops-oncall").run();
            assertThat(revive.stdout()).as(revive.toString()).contains("revived agent:researcher-1");
            Files.createFile(revived);
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(out)).contains("AFTER-REVIVE results for back");
            assertThat(app.exitValue()).isZero();
        } finally {
            app.destroyForcibly();
        }

        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(r -> "CONTROL".equals(r.get("type")))
                .extracting(r -> r.get("event") + " " + r.get("subject") + " " + r.get("actor") + " " + r.get("reason"))
                .containsExactly("KILLED agent:researcher-1 ops-oncall runaway refunds",
                        "SLASHED agent:researcher-1 researcher-1 killed by ops-oncall: runaway refunds",
                        "QUARANTINED agent:helper-3 agentmesh blast radius: researcher-1 vouches for it and was "
                                + "killed: runaway refunds",
                        "QUARANTINED agent:analyst-2 ops-oncall odd reads",
                        "RELEASED agent:analyst-2 ops-oncall explained",
                        "REVIVED agent:researcher-1 ops-oncall fixed");
        assertThat(records).filteredOn(r -> "CONTROL".equals(r.get("type"))).first()
                .extracting(r -> r.get("detail")).asString().startsWith("via jmx; 1 call in flight interrupted");
        assertThat(records).anyMatch(r -> "SAGA".equals(r.get("type")) && "SAGA_COMPENSATED".equals(r.get("event")));
        assertThat(records).anyMatch(r -> "DENY".equals(r.get("type")) && "researcher-1".equals(r.get("agentId"))
                && "search".equals(r.get("method")));
        assertThat(Trails.verifiedCount(audit)).isPositive();
    }

    @Test
    void theCommandLineSaysWhyItCannotActWithItsExitCode() throws Exception {
        Path out = tmp.resolve("plain.out");
        Process plain = start(List.of(), "plain", "-", out);
        try {
            long pid = awaitReady(out, plain);
            ForkedJvm.Result noAgent = ForkedJvm.agentCli("kill", "--pid", Long.toString(pid), "--all", "--reason",
                    "x").run();
            assertThat(noAgent.exitCode()).as(noAgent.toString()).isEqualTo(3);
            assertThat(noAgent.stderr().strip()).startsWith("agentmesh: JVM " + pid
                    + " does not run the AgentMesh agent").doesNotContain("\n").doesNotContain("\tat ");
        } finally {
            plain.destroyForcibly();
        }
        ForkedJvm.Result usage = ForkedJvm.agentCli("kill", "--pid", "1", "--agent", "a").run();
        assertThat(usage.exitCode()).isEqualTo(4);
        assertThat(usage.stderr()).contains("Missing required option: '--reason=<reason>'");
        ForkedJvm.Result both = ForkedJvm.agentCli("kill", "--pid", "1", "--agent", "a", "--all", "--reason", "r")
                .run();
        assertThat(both.exitCode()).as("one target only").isEqualTo(4);
    }

    @Test
    void aKillOutlivesARestartAndAMalformedKillStateStopsTheStart() throws Exception {
        Path audit = tmp.resolve("audit");
        java.nio.file.Files.createDirectories(audit);
        java.nio.file.Files.writeString(audit.resolve("agentmesh-kills.state"),
                "agent:researcher-1\tops-oncall\t1700000000000\tstill bad\n");
        ForkedJvm.Result killed = ForkedJvm.main(dev.agentmesh.it.apps.RateLimitApp.class)
                .withAgent("policy=" + Trails.policy(tmp, POLICY) + ",audit.dir=" + audit).run();
        assertThat(killed.exitCode()).as("the app's calls are Errors now").isNotZero();
        assertThat(killed.stderr()).contains("AgentKilledError: agent researcher-1 is killed (agent:researcher-1 by "
                + "ops-oncall: still bad)");

        java.nio.file.Files.writeString(audit.resolve("agentmesh-kills.state"), "agent:researcher-1\tops\n");
        ForkedJvm.Result bad = ForkedJvm.main(dev.agentmesh.it.apps.RateLimitApp.class)
                .withAgent("policy=" + Trails.policy(tmp, POLICY) + ",audit.dir=" + audit).run();
        assertThat(bad.exitCode()).isEqualTo(78);
        assertThat(bad.stderr()).contains("agentmesh: state error: " + audit.resolve("agentmesh-kills.state")
                + ":1: expected target, operator, epoch millis and reason");
    }

    private static Process start(List<String> jvmArgs, String mode, String arg, Path out) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ForkedJvm.JAVA);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(ForkedJvm.TEST_CLASSES + File.pathSeparator + ForkedJvm.API_JAR);
        cmd.add(KillSwitchApp.class.getName());
        cmd.add(mode);
        cmd.add(arg);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static long awaitReady(Path out, Process p) throws Exception {
        Matcher m = Pattern.compile("READY (\\d+)").matcher(awaitLine(out, p, "READY "));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String awaitLine(Path out, Process p, String prefix) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            if (text.lines().anyMatch(l -> l.startsWith(prefix))) {
                return text;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the app exited " + p.exitValue() + " before printing " + prefix + ":\n"
                        + text);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line " + prefix + " within 60 s:\n" + Files.readString(out));
    }
}
