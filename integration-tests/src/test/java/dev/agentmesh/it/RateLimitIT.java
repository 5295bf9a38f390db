package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.RateLimitApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits from a policy file, enforced by the real agent on {@code @Ring} calls, and a bad limit refused. */
class RateLimitIT {

    @TempDir
    Path tmp;

    @Test
    void callsOverTheAgentsRingLimitAreDeniedAndRecorded() throws Exception {
        Path policy = Trails.policy(tmp, String.join("\n", "version: 1", "limits:", "  rings:",
                "    2: {perSecond: 0.01, burst: 3}", "agents:", "  researcher-1: {ring: 2}", ""));
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result r = ForkedJvm.main(RateLimitApp.class).withAgent("policy=" + policy + ",audit.dir=" + audit)
                .run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).containsExactly("CALL 1 results for q1", "CALL 2 results for q2", "CALL 3 results for q3",
                "CALL 4 LIMITED researcher-1 may not call " + RateLimitApp.Tools.class.getName()
                        + "#search(Ljava/lang/String;)Ljava/lang/String; now: agent researcher-1 is over its rate limit (0.01/s, burst 3)",
                "CALL 5 LIMITED researcher-1 may not call " + RateLimitApp.Tools.class.getName()
                        + "#search(Ljava/lang/String;)Ljava/lang/String; now: agent researcher-1 is over its rate limit (0.01/s, burst 3)");
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(x -> "ALLOW".equals(x.get("type")) || "DENY".equals(x.get("type")))
                .extracting(x -> x.get("type")).containsExactly("ALLOW", "ALLOW", "ALLOW", "DENY", "DENY");
    }

    @Test
    void aMalformedLimitStopsTheJvmNamingTheLine() throws Exception {
        Path policy = Trails.policy(tmp, String.join("\n", "version: 1", "limits:", "  session: {perSecond: 5}",
                ""));
        ForkedJvm.Result r = ForkedJvm.main(RateLimitApp.class).withAgent("policy=" + policy).run();
        assertThat(r.exitCode()).isEqualTo(78);
        assertThat(r.stderr()).contains("policy.yaml:3: limits.session needs both perSecond and burst");
    }
}
