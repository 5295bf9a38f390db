package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.OperatorBypassApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ring-3 agent cannot kill, revive, quarantine, release, elevate itself or vouch its way to a better ring: not
 * through the {@code Hypervisor} API, and not through the kill switch's MBean reached from inside the JVM (only
 * reaching the MBean server from outside, as an operator with JMX access does, carries that authority), and not by
 * reflecting into the engine (a named module that opens nothing; {@code EngineEncapsulationIT} tries every other
 * way in). Every API or MBean attempt is a DENY on the trail, and nothing changed: the kill it tried to lift stands.
 */
class OperatorBypassIT {

    private static final String POLICY = String.join("\n", "defaults: {ring: 3}", "agents:", "  root: {ring: 0}",
            "  worker: {ring: 2}", "liability:", "");

    @TempDir
    Path tmp;

    @Test
    void aRingThreeAgentCannotActAsAnOperatorByApiOrInProcessMBean() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(OperatorBypassApp.class)
                .withAgent("policy=" + Trails.policy(tmp, POLICY) + ",audit.dir=" + audit).run();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout().lines()).contains(
                "API-KILL RingViolationException",
                "API-REVIVE RingViolationException",
                "API-QUARANTINE RingViolationException",
                "API-RELEASE RingViolationException",
                "API-ELEVATE ElevationRefusedException",
                "API-VOUCH RingViolationException",
                "MBEAN-REVIVE RingViolationException",
                "MBEAN-KILL RingViolationException",
                "NESTED-ROOT-REVIVE RingViolationException",
                "REFLECT-GOVERNOR InaccessibleObjectException",
                "RING intruder 3",
                "KILLS 1 agent:worker",
                "QUARANTINES 0",
                "ELEVATIONS 0");

        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(r -> "DENY".equals(r.get("type")) && "intruder".equals(r.get("agentId")))
                .extracting(r -> r.get("method"))
                .containsExactly("kill", "revive", "quarantine", "release", "vouch", "revive", "kill");
        assertThat(records).filteredOn(r -> "DENY".equals(r.get("type")) && "root".equals(r.get("agentId")))
                .as("root entered inside the intruder's scope acts for it, at its ring")
                .extracting(r -> r.get("method") + " for " + r.get("onBehalfOf") + " at ring " + r.get("agentRing"))
                .containsExactly("revive for intruder at ring 3");
        assertThat(records).filteredOn(r -> "CONTROL".equals(r.get("type")))
                .extracting(r -> r.get("event") + " " + r.get("subject"))
                .as("only root's kill, and the slashes the intruder's violations cost it (root's name, used on the"
                        + " intruder's behalf, costs root nothing)")
                .containsExactly("KILLED agent:worker", "SLASHED agent:worker",
                        "SLASHED agent:intruder", "SLASHED agent:intruder", "SLASHED agent:intruder",
                        "SLASHED agent:intruder", "SLASHED agent:intruder", "SLASHED agent:intruder",
                        "SLASHED agent:intruder", "SLASHED agent:intruder");
        assertThat(Trails.verifiedCount(audit)).isPositive();
    }
}
