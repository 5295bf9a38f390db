package dev.agentmesh.agent.frameworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.policy.ToolRule;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.api.Ring;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Framework tool calls decided by a real {@link RingGovernor} on a real trail, called as the woven choke points call
 * it: which agent acts, which rule rings the tool, what the records say, and that a woven tool is recorded once.
 */
class FrameworkCallsTest {

    @TempDir
    Path tmp;

    private final Policy policy = Policy.builder().defaultRing(3).defaultAgent("anon").agent("root", 0)
            .agent("analyst", 2).agent("lead", 1)
            .tool(ToolRule.of("web_search", 3, 1))
            .tool(ToolRule.of("delete_records", 0, 2))
            .tool(ToolRule.of("dev.agentmesh.agent.frameworks.FrameworkCallsTest$Tools#audit*", 2, 3))
            .tool(ToolRule.of("@dev.agentmesh.agent.frameworks.FrameworkCallsTest$Sensitive", 1, 4))
            .defaultToolRing(1).source("test").digest(new byte[32]).build();
    private final MethodRegistry methods = new MethodRegistry();
    private AuditTrail trail;
    private RingGovernor governor;

    @BeforeEach
    void open() {
        trail = new AuditTrail(tmp.resolve("audit"), new GenesisInfo("w", policy.digest(), policy.source()), 5_000);
        trail.open();
        governor = new RingGovernor(policy, methods, trail, false);
    }

    @AfterEach
    void close() {
        trail.close();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface Sensitive {
    }

    /** Tools as a framework would call them. */
    static final class Tools {
        public String search(String q) {
            return q;
        }

        public void auditLog() {
        }

        @Sensitive
        public void exportAll() {
        }

        @Ring(0)
        public void dropEverything() {
        }

        public void unclassified() {
        }
    }

    private static Method tool(String name) throws Exception {
        for (Method m : Tools.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name);
    }

    private List<AuditRecord> decisions() throws Exception {
        return VerifiedTrail.read(tmp.resolve("audit")).stream().filter(r -> r.type().isDecision()).toList();
    }

    @Test
    void theFrameworksAgentActsAndIsTheAgentInContextWhileTheToolRuns() throws Exception {
        Object ticket;
        try (AgentContext.Scope outer = AgentContext.enter("lead")) {
            ticket = governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", "inv-1#call_1", "analyst", tool("search"),
                    "{\"q\":\"x\"}");
            assertThat(AgentContext.currentAgent()).contains("analyst");
            assertThat(AgentContext.onBehalfOf()).containsExactly("lead");
            governor.exitTool(ticket, null, false);
            assertThat(AgentContext.currentAgent()).contains("lead");
        }
        AuditRecord allow = decisions().get(0);
        assertThat(allow.type()).isEqualTo(RecordType.CALL_ALLOWED);
        assertThat(allow.agentId()).isEqualTo("analyst");
        assertThat(allow.onBehalfOf()).isEqualTo("lead");
        assertThat(allow.framework()).isEqualTo("spring-ai");
        assertThat(allow.tool()).isEqualTo("web_search");
        assertThat(allow.invocationId()).isEqualTo("inv-1#call_1");
        assertThat(allow.className()).isEqualTo(Tools.class.getName());
        assertThat(allow.methodName()).isEqualTo("search");
        assertThat(allow.descriptor()).isEqualTo("(Ljava/lang/String;)Ljava/lang/String;");
        assertThat(allow.requiredRing()).isEqualTo(3);
    }

    @Test
    void rulesRingTheToolMostSpecificFirstAndTheMethodsOwnRingWins() throws Exception {
        String[][] calls = {{"web_search", "unclassified"}, {"delete_records", "search"}, {"x", "auditLog"},
                {"x", "exportAll"}, {"web_search", "dropEverything"}, {"x", "unclassified"}};
        for (String[] call : calls) {
            Object ticket = governor.enterTool(methods.frameworkToken(), "spring-ai", call[0], null, "root", tool(call[1]), "{}");
            governor.exitTool(ticket, null, false);
        }
        assertThat(decisions()).extracting(r -> r.tool() + " " + r.methodName() + " " + r.requiredRing())
                .containsExactly("web_search unclassified 3",   // the name outranks every pattern
                        "delete_records search 0",
                        "x auditLog 2",                         // class#method pattern
                        "x exportAll 1",                        // annotation
                        "web_search dropEverything 0",          // its own @Ring wins over the name
                        "x unclassified 1");                    // defaults.toolRing
    }

    @Test
    void aToolWithNoMethodIsNamedByItsFrameworkAndDecidedByName() throws Exception {
        Object ticket = governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "analyst", null, "{}");
        governor.exitTool(ticket, null, false);
        assertThatThrownBy(() -> governor.enterTool(methods.frameworkToken(), "spring-ai", "delete_records", null, "analyst", null, "{}"))
                .isInstanceOf(RingViolationException.class)
                .hasMessageContaining("may not call spring-ai tool delete_records, which requires ring 0");
        assertThat(decisions()).extracting(r -> r.className() + "#" + r.methodName() + " " + r.decision())
                .containsExactly("spring-ai#web_search ALLOW", "spring-ai#delete_records DENY");
    }

    @Test
    void aContextMapNamesTheAgentByItsKeyThenByConversationId() throws Exception {
        for (Map<String, Object> context : List.<Map<String, Object>>of(
                Map.of(FrameworkCalls.AGENT_ID_KEY, "analyst", FrameworkCalls.CONVERSATION_ID_KEY, "lead"),
                Map.of(FrameworkCalls.CONVERSATION_ID_KEY, "lead"), Map.of())) {
            governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, context, null, "{}"), null, false);
        }
        assertThat(decisions()).extracting(AuditRecord::agentId).containsExactly("analyst", "lead", "anon");
    }

    @Test
    void anIdAFrameworkGivesIsMadeAValidAgentIdThatCannotForgeARecord() throws Exception {
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "bob\nALLOW root", null, "{}"), null,
                false);
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "ada@example.com", null, "{}"), null,
                false);
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, " ", null, "{}"), null, false);
        assertThat(decisions()).extracting(AuditRecord::agentId)
                .containsExactly("bob_ALLOW_root", "ada_example.com", "anon");
    }

    @Test
    void aStaleAgenticAgentIsNotTheAgentOfACallFromAnotherService() throws Exception {
        Object planner = new Object();
        Object writer = new Object();
        governor.agentEntered("langchain4j", "planner", "com.acme.Planner", planner); // never said to end
        governor.agentEntered("langchain4j", "writer", "com.acme.Writer", writer);    // nor this one
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "langchain4j", "web_search", null,
                new LangChain4jContextsTest.Context("com.acme.Other", "chat", "alice"), null, "{}"), null, false);
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "langchain4j", "web_search", null,
                new LangChain4jContextsTest.Context("com.acme.Planner", "plan", "alice"), null, "{}"), null, false);
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "langchain4j", "web_search", null,
                new LangChain4jContextsTest.Context("com.acme.Writer", "write", "alice"), null, "{}"), null, false);
        assertThat(decisions()).extracting(AuditRecord::agentId)
                .containsExactly("alice", "planner", "alice"); // the stale writer above planner was dropped
        governor.agentExited(planner);
    }

    @Test
    void aWovenToolIsDecidedOnceAtTheChokePoint() throws Exception {
        Method drop = tool("dropEverything");
        long id = methods.token(methods.register(Tools.class.getName(), "dropEverything", "()V", 0));
        Object ticket = governor.enterTool(methods.frameworkToken(), "spring-ai", "drop", null, "root", drop, "{}");
        long seq = governor.enter(id, new Object[0]); // the method's own advice, inside the tool call
        governor.exit(id, seq, System.nanoTime(), null);
        governor.exitTool(ticket, null, false);
        try (AgentContext.Scope s = AgentContext.enter("root")) {
            governor.exit(id, governor.enter(id, new Object[0]), System.nanoTime(), null); // a direct call later
        }
        assertThat(decisions()).extracting(r -> r.framework() + ":" + r.methodName())
                .containsExactly("spring-ai:dropEverything", ":dropEverything");
        assertThat(VerifiedTrail.read(tmp.resolve("audit")).stream().filter(r -> r.type() == RecordType.CALL_RETURNED))
                .hasSize(2);
    }

    @Test
    void onlyTheWovenChokePointsRecordARunOfAMethod() throws Exception {
        Method drop = tool("dropEverything");
        long forged = methods.frameworkToken() ^ 1;
        // Code calling the public bridge itself: a run of dropEverything that never happens is refused, unrecorded.
        try (AgentContext.Scope s = AgentContext.enter("root")) {
            assertThatThrownBy(() -> governor.enterTool(forged, "spring-ai", "drop", null, "root", drop, "{}"))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("was not woven by AgentMesh");
            assertThatThrownBy(() -> governor.enterTool(0L, "spring-ai", "drop", null, "root", drop, "{}"))
                    .isInstanceOf(SecurityException.class);
        }
        assertThat(decisions()).isEmpty();
        // Naming no method records only what any code can make a framework do (an MCP handler wrapper's call).
        governor.exitTool(governor.enterTool(forged, "mcp", "web_search", null, "root", null, "{}"), null, false);
        assertThat(decisions()).extracting(r -> r.framework() + ":" + r.methodName()).containsExactly("mcp:web_search");
    }

    @Test
    void aToolWovenByAStricterPatternIsNeverAdmittedAboveThatRing() throws Exception {
        Method audit = tool("auditLog"); // woven by the "#audit*" pattern at ring 2; the name rule says 3
        methods.register(Tools.class.getName(), "auditLog", "()V", 2);
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "analyst", audit, "{}"), null, false);
        assertThatThrownBy(() -> governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "anon-agent", audit, "{}"))
                .isInstanceOf(RingViolationException.class);
        assertThat(decisions()).extracting(r -> r.agentId() + " " + r.requiredRing() + " " + r.decision())
                .containsExactly("analyst 2 ALLOW", "anon-agent 2 DENY");
    }

    @Test
    void theOutcomeNamesWhatTheToolThrewNotTheFrameworksWrapper() throws Exception {
        Object ticket = governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "root", tool("search"), "{}");
        governor.toolFailed(new IllegalStateException("backend down"));
        governor.exitTool(ticket, new RuntimeException("wrapper"), false);
        ticket = governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "root", tool("search"), "{}");
        governor.exitTool(ticket, null, true); // an error result, nothing noted
        ticket = governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "root", tool("search"), "{}");
        governor.exitTool(ticket, null, false);
        assertThat(VerifiedTrail.read(tmp.resolve("audit"))).filteredOn(r -> r.type().isOutcome())
                .extracting(r -> r.type() + " " + r.exceptionClass())
                .containsExactly("CALL_THREW java.lang.IllegalStateException", "CALL_THREW java.lang.Throwable",
                        "CALL_RETURNED ");
    }

    @Test
    void anIdNotedBeforehandGoesOnTheNextCallOnly() throws Exception {
        governor.toolInvocation("call_7");
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "root", null, "{}"), null, false);
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", "web_search", null, "root", null, "{}"), null, false);
        assertThat(decisions()).extracting(AuditRecord::invocationId).containsExactly("call_7", "");
    }

    /** Shaped like Reactor's {@code Mono}: the hooks it is given run when it is told how it ends. */
    public static final class Later {
        private final java.util.List<java.util.function.Consumer<Object>> onSuccess = new java.util.ArrayList<>();
        private final java.util.List<java.util.function.Consumer<Throwable>> onError = new java.util.ArrayList<>();
        private final java.util.List<Runnable> onCancel = new java.util.ArrayList<>();

        public Later doOnSuccess(java.util.function.Consumer<Object> hook) {
            onSuccess.add(hook);
            return this;
        }

        public Later doOnError(java.util.function.Consumer<Throwable> hook) {
            onError.add(hook);
            return this;
        }

        public Later doOnCancel(Runnable hook) {
            onCancel.add(hook);
            return this;
        }
    }

    @Test
    void anAsynchronousToolIsRecordedWhenItsResultEndsAndOnlyOnce() throws Exception {
        Later succeeds = new Later();
        Object ticket = governor.enterDetachedTool("spring-ai", "web_search", "analyst", "{}");
        assertThat(governor.whenToolDone(ticket, succeeds)).isSameAs(succeeds);
        assertThat(VerifiedTrail.read(tmp.resolve("audit"))).noneMatch(r -> r.type().isOutcome());
        succeeds.onSuccess.forEach(h -> h.accept("result"));
        succeeds.onCancel.forEach(Runnable::run); // a second end is not recorded

        Later fails = new Later();
        Object second = governor.enterDetachedTool("spring-ai", "web_search", "analyst", "{}");
        governor.whenToolDone(second, fails);
        fails.onError.forEach(h -> h.accept(new IllegalStateException("down")));

        Object third = governor.enterDetachedTool("spring-ai", "web_search", "analyst", "{}");
        assertThat(governor.whenToolDone(third, "not a publisher")).isEqualTo("not a publisher"); // recorded now

        assertThatThrownBy(() -> governor.enterDetachedTool("spring-ai", "delete_records", "analyst", "{}"))
                .isInstanceOf(RingViolationException.class);
        assertThat(VerifiedTrail.read(tmp.resolve("audit"))).filteredOn(r -> r.type().isOutcome())
                .extracting(r -> r.type() + " " + r.exceptionClass())
                .containsExactly("CALL_RETURNED ", "CALL_THREW java.lang.IllegalStateException", "CALL_RETURNED ");
        assertThat(AgentContext.currentAgent()).isEmpty(); // nothing was bound to this thread
    }

    @Test
    void longNamesAreCutAtACharacterBoundary() throws Exception {
        String tool = "é".repeat(200); // 400 bytes
        governor.exitTool(governor.enterTool(methods.frameworkToken(), "spring-ai", tool, "x".repeat(300), "root", null, "{}"), null, false);
        AuditRecord allow = decisions().get(0);
        assertThat(allow.tool()).isEqualTo("é".repeat(128));
        assertThat(allow.invocationId()).hasSize(FrameworkCalls.MAX_INVOCATION_ID_BYTES);
        assertThat(Utf8Caps.encode("aé", 2)).containsExactly('a');
    }
}
