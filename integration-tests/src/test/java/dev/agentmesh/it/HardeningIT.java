package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.HardeningApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases from the threat model ({@code docs/threat-model.md}) that are not a class of their own: a governed call
 * made from inside another, and an {@code OutOfMemoryError} in a tool body. Each in a forked JVM with the real agent.
 */
class HardeningIT {

    @Test
    void aToolCalledFromInsideAnotherIsDecidedForTheCallingAgent(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "nested").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Running inside a ring-3 tool lends the ring-3 agent nothing: the ring-0 tool it calls is denied.
        assertThat(run.lines()).containsExactly("agent-r3 outer DENY", "BODY ring0", "agent-r0 outer ALLOW");

        List<Map<String, String>> calls = decisionsAndOutcomes(audit);
        assertThat(calls).extracting(r -> r.get("type") + " " + r.get("agentId") + " " + r.get("method")
                + " " + r.get("exception")).containsExactly(
                "ALLOW agent-r3 outer null",
                "DENY agent-r3 ring0 null",
                "THREW null null dev.agentmesh.api.RingViolationException",
                "ALLOW agent-r0 outer null",
                "ALLOW agent-r0 ring0 null",
                "RETURNED null null null",
                "RETURNED null null null");
        assertThat(calls.get(2).get("callSeq")).isEqualTo(calls.get(0).get("seq"));
    }

    @Test
    void ringMethodsOnInnerClassesRecordsAndEnumsAreGoverned(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "shapes").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly(
                "agent-r3 inner DENY", "agent-r3 record DENY", "agent-r3 record-accessor DENY", "agent-r3 enum DENY",
                "agent-r0 inner ALLOW", "agent-r0 record ALLOW", "agent-r0 record-accessor ALLOW",
                "agent-r0 enum ALLOW");
        assertThat(Trails.export(audit)).filteredOn(r -> "DENY".equals(r.get("type")))
                .extracting(r -> r.get("method") + " " + r.get("requiredRing"))
                .containsExactly("purge 0", "publish 1", "text 1", "run 0");
        Trails.verifiedCount(audit);
    }

    @Test
    void overridesAndImplementationsOfRingMethodsTakeTheirRing(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = overrides(tmp, audit, "").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Loaded while the agent was still starting: the subclass waited to be woven, like the class it extends.
        assertThat(run.lines()).as(run.toString()).containsExactly("agent-still-starting true",
                "anonymous subclass-first DENY", "anonymous lambda-first DENY",
                "agent-r3 subclass DENY", "agent-r3 implementation DENY", "agent-r3 generic-bridge DENY",
                "agent-r3 generic-direct DENY", "agent-r3 default-method DENY", "agent-r3 default-overridden DENY",
                "agent-r3 enum-constant-body DENY", "agent-r3 grandchild DENY", "agent-r3 lambda DENY",
                "agent-r3 generic-lambda DENY", "agent-r3 method-reference DENY",
                "agent-r3 static-method-reference DENY", "agent-r3 serializable-method-reference DENY",
                "agent-r3 deserialized-method-reference DENY",
                "agent-r0 subclass ALLOW", "agent-r0 implementation ALLOW", "agent-r0 generic-bridge ALLOW",
                "agent-r0 generic-direct ALLOW", "agent-r0 default-method ALLOW", "agent-r0 default-overridden ALLOW",
                "agent-r0 enum-constant-body ALLOW", "agent-r0 grandchild ALLOW", "agent-r0 lambda ALLOW",
                "agent-r0 generic-lambda ALLOW", "agent-r0 method-reference ALLOW",
                "agent-r0 static-method-reference ALLOW", "agent-r0 serializable-method-reference ALLOW",
                "agent-r0 deserialized-method-reference ALLOW");
        // The override itself is what was woven and denied, with the ring it inherits; the bridge was not.
        assertThat(Trails.export(audit)).filteredOn(r -> "DENY".equals(r.get("type")))
                .extracting(r -> r.get("class").replaceAll(".*\\$", "") + "#" + r.get("method") + r.get("descriptor")
                        + " " + r.get("requiredRing"))
                .containsExactly("QuietLedger#wipe()Ljava/lang/String; 0",
                        "EarlyLambda#lambda$pay$0(Ljava/lang/String;)Ljava/lang/String; 1",
                        "QuietLedger#wipe()Ljava/lang/String; 0",
                        "CashPayments#pay(Ljava/lang/String;)Ljava/lang/String; 1",
                        "TextHandler#handle(Ljava/lang/String;)Ljava/lang/String; 1",
                        "TextHandler#handle(Ljava/lang/String;)Ljava/lang/String; 1",
                        "Described#describe()Ljava/lang/String; 0",
                        "OverridesDefault#describe()Ljava/lang/String; 0",
                        "1#flip()Ljava/lang/String; 0",
                        "QuieterLedger#wipe()Ljava/lang/String; 0",
                        "Matrix#lambda$run$0(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String; 1",
                        "Matrix#lambda$run$1(Ljava/lang/Integer;)Ljava/lang/String; 1",
                        "Matrix#lambda$agentmesh$ref$0(Ldev/agentmesh/it/apps/OverridesApp$Teller;Ljava/lang/String;)"
                                + "Ljava/lang/String; 1",
                        "Matrix#lambda$agentmesh$ref$1(Ljava/lang/String;)Ljava/lang/String; 1",
                        // The serializable reference to the same method, and the copy read back from its bytes.
                        "Matrix#lambda$agentmesh$ref$1(Ljava/lang/String;)Ljava/lang/String; 1",
                        "Matrix#lambda$agentmesh$ref$1(Ljava/lang/String;)Ljava/lang/String; 1");
        Trails.verifiedCount(audit);
    }

    @Test
    void aLambdaMadeWhileTheAgentStillStartsWaitsToBeWoven(@TempDir Path tmp) throws Exception {
        ForkedJvm.Result run = overrides(tmp, tmp.resolve("audit"), "").args("lambda-first").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).startsWith("agent-still-starting true",
                "anonymous lambda-first DENY", "anonymous subclass-first DENY");
    }

    @Test
    void aPolicyCanTurnRingInheritanceOff(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = overrides(tmp, audit, "  inheritRing: false\n").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Only methods carrying @Ring themselves are governed: the default method, not the overrides.
        assertThat(run.lines()).as(run.toString()).contains("anonymous subclass-first ALLOW",
                "anonymous lambda-first ALLOW",
                "agent-r3 subclass ALLOW", "agent-r3 implementation ALLOW", "agent-r3 generic-bridge ALLOW",
                "agent-r3 default-method DENY", "agent-r3 default-overridden ALLOW",
                "agent-r3 enum-constant-body ALLOW", "agent-r3 grandchild ALLOW", "agent-r3 lambda ALLOW",
                "agent-r3 method-reference ALLOW", "agent-r3 serializable-method-reference ALLOW",
                "agent-r3 deserialized-method-reference ALLOW");
    }

    @Test
    void toolsLoadedByPluginLoadersDefinedAtRunTimeOrMadeByTheHostsByteBuddyAreGoverned(@TempDir Path tmp)
            throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(dev.agentmesh.it.apps.LoadersApp.class)
                .classPath(ForkedJvm.HOST_BYTEBUDDY_JAR)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .args(ForkedJvm.API_JAR.toString(), ForkedJvm.TEST_CLASSES.toString())
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).containsExactly(
                "plugin loader child-first, its API copy own",
                "agent-r3 child-first-plugin DENY", "agent-r3 lookup-defineClass DENY",
                "agent-r3 host-bytebuddy-ring DENY", "agent-r3 host-bytebuddy-subclass DENY",
                "agent-r0 child-first-plugin ALLOW", "agent-r0 lookup-defineClass ALLOW",
                "agent-r0 host-bytebuddy-ring ALLOW", "agent-r0 host-bytebuddy-subclass ALLOW",
                "agent-r3 plugin-enters-agent-r0 DENY");
        assertThat(Trails.export(audit)).filteredOn(r -> "DENY".equals(r.get("type")))
                .extracting(r -> r.get("agentId") + " " + r.get("class").replaceAll(".*[.$]", "") + "#"
                        + r.get("method"))
                .containsExactly("agent-r3 PluginTools#wipe", "agent-r3 DefinedLater#erase",
                        "agent-r3 GeneratedTool#purge", "agent-r3 GeneratedSubTools#ring0",
                        "agent-r3 PluginTools#wipe");
        Trails.verifiedCount(audit);
    }

    @Test
    void anAgentCannotGainABetterRingByEnteringAnotherIdentity(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "escalate").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly(
                "agent-r3 ring0-in-session DENY",
                "agent-r3 execute-as-r0 DENY",
                "agent-r3 ring0-nested DENY",
                "BODY ring0",
                "- ring0-as-r0 ALLOW");

        // Each attempt is on the trail as agent-r0 acting for agent-r3, decided at agent-r3's ring.
        assertThat(Trails.export(audit)).filteredOn(r -> "DENY".equals(r.get("type")))
                .extracting(r -> r.get("agentId") + " for " + r.get("onBehalfOf") + " at ring " + r.get("agentRing")
                        + ": " + r.get("method"))
                .containsExactly("agent-r0 for agent-r3 at ring 3: ring0", "agent-r0 for agent-r3 at ring 3: wipe",
                        "agent-r0 for agent-r3 at ring 3: ring0");
        Trails.verifiedCount(audit);
    }

    @Test
    void hostileAgentIdsAreRefusedOrMadeSafeAndCannotForgeARecordOrALine(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "ids").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String longId = "a".repeat(40) + "...";
        assertThat(run.lines()).as(run.toString()).containsExactly(
                "REFUSED one-line short", "REFUSED one-line short", "REFUSED one-line short",
                "REFUSED one-line short", "REFUSED one-line short",
                "agent-r_ ring0 DENY", "agent_r0 ring0 DENY", "agent-r0_2026-11-25_ALLOW_root ring0 DENY",
                "agent-_0r ring0 DENY", longId + " ring0 DENY");
        // On the trail as the ids they were made, none of them agent-r0: one line per record in every format.
        assertThat(Trails.export(audit)).filteredOn(r -> "DENY".equals(r.get("type")))
                .extracting(r -> r.get("agentId").length() > 60 ? r.get("agentId").length() + " chars"
                        : r.get("agentId"))
                .containsExactly("agent-r_", "agent_r0", "agent-r0_2026-11-25_ALLOW_root", "agent-_0r", "256 chars");
        long records = Trails.verifiedCount(audit);
        for (String format : List.of("text", "csv", "jsonl")) {
            ForkedJvm.Result export = ForkedJvm.auditReader("export", audit.toString(), "--format", format).run();
            assertThat(export.exitCode()).as(export.toString()).isZero();
            assertThat(export.lines()).as(format).hasSize((int) records + (format.equals("jsonl") ? 0 : 1)); // text and csv have a header
            assertThat(export.lines()).as(format).noneMatch(l -> l.startsWith("2026-11-25 ALLOW"));
        }
    }

    @Test
    void aClockSteppedBackIsReportedAndTheTrailVerifies(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(HardeningApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit
                        + ",testing=true")
                .args("clock-step")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();

        // GENESIS, two calls, the step back, two calls, the step forward, one call: in sequence, in one chain.
        ForkedJvm.Result verify = ForkedJvm.auditReader("verify", audit.toString()).run();
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.lines()).as(verify.toString()).hasSize(3);
        assertThat(verify.lines().get(0)).startsWith("OK 11 records");
        assertThat(verify.lines().get(1)).startsWith("notice: the writer's clock went back once, ").contains(" at seq 5");
        assertThat(verify.lines().get(2)).matches("notice: clock went back 7[12][0-9]{2}\\.[0-9]{3} s at seq 5 .*");
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).extracting(r -> r.get("seq")).containsExactly("0", "1", "2", "3", "4", "5", "6", "7",
                "8", "9", "10");
    }

    @Test
    void anOutOfMemoryErrorThrownByAToolIsRecordedAsThrown(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "oom-thrown").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("agent-r0 throwsOom ERROR:java.lang.OutOfMemoryError");

        assertThat(decisionsAndOutcomes(audit)).extracting(r -> r.get("type") + " " + r.get("exception"))
                .containsExactly("ALLOW null", "THREW java.lang.OutOfMemoryError");
    }

    @Test
    void aToolThatRunsTheHeapOutIsRecordedAsThrownAndTheAgentGoesOn(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = app(tmp, audit, "oom-real").jvmArg("-Xmx64m").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("agent-r0 exhaustsHeap ERROR:java.lang.OutOfMemoryError",
                "BODY ring0", "agent-r0 after ALLOW");

        assertThat(decisionsAndOutcomes(audit)).extracting(r -> r.get("type") + " " + r.get("method") + " "
                + r.get("exception")).containsExactly(
                "ALLOW exhaustsHeap null",
                "THREW null java.lang.OutOfMemoryError",
                "ALLOW ring0 null",
                "RETURNED null null");
    }

    @Test
    void aDeletedAuditDirectoryDeniesCallsUntilItIsBack(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(HardeningApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .args("delete-audit-dir", audit.toString())
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Calls made in the few milliseconds before the agent sees the directory gone run (their records went into
        // the deleted files); from then on every call is refused until the directory is back.
        List<String> lines = run.lines();
        int refused = lines.indexOf(lines.stream().filter(l -> l.startsWith("REFUSED")).findFirst().orElseThrow());
        assertThat(lines.get(refused)).contains(audit.toAbsolutePath().toString(), "deleted while the JVM ran");
        assertThat(lines.subList(0, refused)).as(run.toString()).isNotEmpty().containsOnly("BODY ring3");
        assertThat(lines.subList(refused + 1, lines.size())).as(run.toString())
                .containsExactly("BODY ring3", "RECOVERED", "BODY ring3", "BODY ring3", "BODY ring3");
        assertThat(run.stderr()).contains("were deleted while the JVM ran", "is back and open again");

        // The directory holds a new trail: this run's GENESIS, then the four calls made once it was back.
        assertThat(decisionsAndOutcomes(audit)).extracting(r -> r.get("type")).containsExactly(
                "ALLOW", "RETURNED", "ALLOW", "RETURNED", "ALLOW", "RETURNED", "ALLOW", "RETURNED");
    }

    private static ForkedJvm app(Path tmp, Path audit, String mode) throws Exception {
        return ForkedJvm.main(HardeningApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .args(mode);
    }

    /** {@link dev.agentmesh.it.apps.OverridesApp} started with the JVM, {@code defaults} lines added to the policy. */
    private static ForkedJvm overrides(Path tmp, Path audit, String defaults) throws Exception {
        String policy = Trails.MATRIX_POLICY.replace("defaults:\n", "defaults:\n" + defaults);
        return ForkedJvm.main(dev.agentmesh.it.apps.OverridesApp.class)
                .withAgent("policy=" + Trails.policy(tmp, policy) + ",audit.dir=" + audit);
    }

    /** The trail's decision and outcome records, after it verifies. */
    private static List<Map<String, String>> decisionsAndOutcomes(Path audit) throws Exception {
        Trails.verifiedCount(audit);
        return Trails.export(audit).stream()
                .filter(r -> !r.get("type").equals("GENESIS"))
                .collect(Collectors.toList());
    }
}
