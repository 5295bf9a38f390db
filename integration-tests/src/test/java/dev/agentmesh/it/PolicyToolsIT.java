package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.PolicyToolsApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-code governance of plain methods: the policy's {@code tools:} section names them by {@code class#method}
 * pattern and by annotation, and the real agent governs them with no {@code @Ring} in their source; the most specific
 * rule wins, and a method's own {@code @Ring} wins over the policy. A plain method no rule names is not woven.
 */
class PolicyToolsIT {

    private static final String POLICY = String.join("\n", "agents:", "  researcher-1: {ring: 2}",
            "tools:",
            "  \"dev.agentmesh.it.apps.plaintools.*#*\": {ring: 3}",
            "  \"dev.agentmesh.it.apps.plaintools.DbTools#drop*\": {ring: 0}",
            "  \"@dev.agentmesh.it.apps.plaintools.Dangerous\": {ring: 0}", "");

    @TempDir
    Path tmp;

    @Test
    void thePolicyGovernsPlainMethodsByPatternAndAnnotation() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(PolicyToolsApp.class)
                .withAgent("policy=" + Trails.policy(tmp, POLICY) + ",audit.dir=" + audit).run();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).containsSubsequence(
                "researcher-1 search ALLOW",          // the package-wide pattern: ring 3
                "researcher-1 dropTable DENY",        // the more specific drop* pattern: ring 0
                "researcher-1 wipeBackups ALLOW",     // a pattern outranks an annotation: ring 3
                "researcher-1 dropCache ALLOW",       // its own @Ring(2) wins over drop*
                "researcher-1 unlisted ALLOW",        // the package-wide pattern again
                "BODIES 4");

        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(r -> "DENY".equals(r.get("type")))
                .extracting(r -> r.get("method") + " " + r.get("requiredRing")).containsExactly("dropTable 0");
        assertThat(records).filteredOn(r -> "ALLOW".equals(r.get("type")))
                .extracting(r -> r.get("method") + " " + r.get("requiredRing"))
                .containsExactly("search 3", "wipeBackups 3", "dropCache 2", "unlisted 3");
        assertThat(Trails.verifiedCount(audit)).isPositive();
    }

    @Test
    void anAnnotationRuleAloneGovernsTheMethodsCarryingIt() throws Exception {
        Path audit = tmp.resolve("audit");
        String policy = String.join("\n", "agents:", "  researcher-1: {ring: 2}", "tools:",
                "  \"@dev.agentmesh.it.apps.plaintools.Dangerous\": {ring: 0}", "");
        ForkedJvm.Result run = ForkedJvm.main(PolicyToolsApp.class)
                .withAgent("policy=" + Trails.policy(tmp, policy) + ",audit.dir=" + audit).run();

        assertThat(run.lines()).as(run.toString()).contains("researcher-1 wipeBackups DENY",
                "researcher-1 search ALLOW", "researcher-1 dropTable ALLOW", "BODIES 4");
        assertThat(Trails.export(audit)).filteredOn(r -> "ALLOW".equals(r.get("type")) || "DENY".equals(r.get("type")))
                .extracting(r -> r.get("method")).containsExactly("wipeBackups", "dropCache");
    }
}
