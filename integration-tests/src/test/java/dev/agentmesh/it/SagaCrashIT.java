package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.ListeningConnector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.it.apps.SagaCrashApp;
import dev.agentmesh.it.apps.SagaCrashApp.KillPoint;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JVM running the trip saga ({@link SagaCrashApp}: flight, hotel, charge) under the real agent jar is killed with
 * SIGKILL ({@link Process#destroyForcibly()} on Linux) at each {@link KillPoint}; then a fresh JVM on the same audit
 * trail recovers it with {@code Hypervisor.get().sagaRecovery()}, and another one recovers again. At DURING_RECOVERY
 * the first recovering JVM is killed too, and a second one finishes the saga.
 *
 * <p>Most kill points are where the app itself blocks (in an action or a compensation, before or after its side
 * effect), writing a marker file first. Two points lie between two journal writes of the engine, with no app code
 * in between: "flight completed, hotel not started" and "charge completed, SAGA_COMPLETED not written". For those the
 * test attaches a debugger (JDI) to the app's JVM, stops every thread on entry to the engine's journal write of
 * hotel's STEP_STARTED or of SAGA_COMPLETED, and kills the JVM there: it dies exactly as a crash at that instant would
 * leave it. The breakpoint names the engine's internal {@code SagaJournal.write}; if that is renamed, those two cases
 * fail saying so.
 *
 * <h2>The ledger</h2>
 * Each action and compensation appends {@code <ACTION|UNDO> <step> <key> <result|null>} to a ledger file, forced to
 * disk, as its side effect. The ledger is what a downstream service receives, without de-duplication; the test judges
 * it as an idempotent downstream keyed by the idempotency key would:
 * <ul>
 * <li>an ACTION books under its key; an UNDO cancels the booking under its key if there is one (the result it
 * carries, or {@code null} when the step's outcome was unknown, does not matter to a keyed service), and is a no-op
 * when there is none or the second time;</li>
 * <li>so what stays booked downstream is the booked keys minus the cancelled keys: a COMPENSATED saga must leave
 * nothing, and a COMPLETED one must have cancelled nothing;</li>
 * <li>an UNDO may only name a step that may have acted: one whose STEP_STARTED is on the trail and that did not fail
 * cleanly (the declined charge is taken to have had no effect and is never compensated);</li>
 * <li>raw UNDO lines per key: exactly one, plus one for each process killed after that compensation's effect and
 * before its COMPENSATION_COMPLETED (the journal is write-ahead, so the next recovery cannot know and runs it again
 * under the same key). A compensation whose COMPENSATION_COMPLETED is on the trail never runs again;</li>
 * <li>recovery never runs an action; the result an UNDO gets on recovery is the one the trail recorded (the flight's
 * {@link SagaCrashApp.Booking} record comes back through the saga value codec), or {@code null} for a step that
 * started and has no outcome.</li>
 * </ul>
 * The last recovery finds nothing unfinished and adds nothing to the ledger or the trail; the trail verifies, and
 * holds SAGA_RECOVERING and each recovery's COMPENSATION_* records under the saga's own id, session and agent.
 *
 * <p>Each kill point needs four or five JVMs, one after the other; the kill points run at once, a few at a time, in
 * {@link #runAllKillPoints} (every JVM costs a second or two of CPU, mostly the agent starting). The tests then check
 * what each left.
 */
class SagaCrashIT {

    private static final String JOURNAL_CLASS = "dev.agentmesh.agent.saga.SagaJournal";
    private static final String JOURNAL_WRITE = "write";
    /**
     * For the app's JVMs, which live a second or two: the JIT's first tier only. It changes nothing the app or the
     * agent does, and saves about a third of each JVM's CPU time, which is most of this class's run time.
     */
    private static final String QUICK_START = "-XX:TieredStopAtLevel=1";
    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]+)");
    /** The reader's class-data archive is written by its first run, so reader runs take turns. */
    private static final Object READER = new Object();

    @TempDir
    static Path tmp;
    private static ExecutorService pool;
    private static final Map<KillPoint, Future<Outcome>> OUTCOMES = new EnumMap<>(KillPoint.class);

    /** Where the debugger stops the app: on entry to the journal write of {@code event} (for {@code step}). */
    private record Breakpoint(String event, String step) {
    }

    /**
     * What each kill point must lead to.
     *
     * @param breakpoint where the debugger kills the run, or {@code null} when the app blocks at a marker
     * @param booked the steps whose action had its effect before the kill, in order
     * @param undoneInRun the steps whose compensation had its effect in the killed run
     * @param killedRecovery what {@code unfinished()} said in a recovery that was killed too ({@code <state>
     *     <toCompensate>}), or {@code null} if none was
     * @param undoneInKilledRecovery the steps whose compensation had its effect in that recovery
     * @param unfinished where the finishing recovery's {@code unfinished()} says the saga is
     * @param toCompensate what it says that recovery will undo, newest first
     * @param undoneOnRecovery the compensations the finishing recovery runs, in order
     * @param unknownOutcome the steps recovery compensates with {@code null}: started, no outcome
     * @param undoLines the raw UNDO lines each step must have in the end
     * @param recovered the state recovery ends the saga in
     * @param events the saga's SAGA records in the end, as {@code EVENT} or {@code EVENT:step#attempt}
     */
    private record Expected(Breakpoint breakpoint, List<String> booked, List<String> undoneInRun,
            String killedRecovery, List<String> undoneInKilledRecovery, SagaState unfinished,
            List<String> toCompensate, List<String> undoneOnRecovery, Set<String> unknownOutcome,
            Map<String, Integer> undoLines, SagaState recovered, List<String> events) {
    }

    private static Expected expected(KillPoint kill) {
        List<String> flightDone = List.of("SAGA_STARTED", "STEP_STARTED:flight#1", "STEP_COMPLETED:flight#1");
        List<String> hotelStarted = concat(flightDone, "STEP_STARTED:hotel#1");
        List<String> declined = concat(flightDone, "STEP_STARTED:hotel#1", "STEP_COMPLETED:hotel#1",
                "STEP_STARTED:charge#1", "STEP_FAILED:charge#1", "SAGA_COMPENSATING", "COMPENSATION_STARTED:hotel#1");
        return switch (kill) {
            case BEFORE_HOTEL -> new Expected(new Breakpoint("STEP_STARTED", "hotel"), List.of("flight"), List.of(),
                    null, List.of(), SagaState.RUNNING, List.of("flight"), List.of("flight"), Set.of(),
                    Map.of("flight", 1), SagaState.COMPENSATED,
                    concat(flightDone, "SAGA_RECOVERING", "COMPENSATION_STARTED:flight#1",
                            "COMPENSATION_COMPLETED:flight#1", "SAGA_COMPENSATED"));
            case DURING_HOTEL -> new Expected(null, List.of("flight", "hotel"), List.of(), null, List.of(),
                    SagaState.RUNNING, List.of("hotel", "flight"), List.of("hotel", "flight"), Set.of("hotel"),
                    Map.of("hotel", 1, "flight", 1), SagaState.COMPENSATED,
                    concat(hotelStarted, "SAGA_RECOVERING", "COMPENSATION_STARTED:hotel#1",
                            "COMPENSATION_COMPLETED:hotel#1", "COMPENSATION_STARTED:flight#1",
                            "COMPENSATION_COMPLETED:flight#1", "SAGA_COMPENSATED"));
            case AFTER_CHARGE -> new Expected(new Breakpoint("SAGA_COMPLETED", ""),
                    List.of("flight", "hotel", "charge"), List.of(), null, List.of(), SagaState.RUNNING, List.of(),
                    List.of(), Set.of(), Map.of(), SagaState.COMPLETED,
                    concat(flightDone, "STEP_STARTED:hotel#1", "STEP_COMPLETED:hotel#1", "STEP_STARTED:charge#1",
                            "STEP_COMPLETED:charge#1", "SAGA_RECOVERING", "SAGA_COMPLETED"));
            case DURING_UNDO_HOTEL -> new Expected(null, List.of("flight", "hotel"), List.of("hotel"), null,
                    List.of(), SagaState.COMPENSATING, List.of("hotel", "flight"), List.of("hotel", "flight"),
                    Set.of(), Map.of("hotel", 2, "flight", 1), SagaState.COMPENSATED,
                    concat(declined, "SAGA_RECOVERING", "COMPENSATION_STARTED:hotel#2",
                            "COMPENSATION_COMPLETED:hotel#2", "COMPENSATION_STARTED:flight#1",
                            "COMPENSATION_COMPLETED:flight#1", "SAGA_COMPENSATED"));
            case DURING_UNDO_FLIGHT -> new Expected(null, List.of("flight", "hotel"), List.of("hotel"), null,
                    List.of(), SagaState.COMPENSATING, List.of("flight"), List.of("flight"), Set.of(),
                    Map.of("hotel", 1, "flight", 1), SagaState.COMPENSATED,
                    concat(declined, "COMPENSATION_COMPLETED:hotel#1", "COMPENSATION_STARTED:flight#1",
                            "SAGA_RECOVERING", "COMPENSATION_STARTED:flight#2", "COMPENSATION_COMPLETED:flight#2",
                            "SAGA_COMPENSATED"));
            case DURING_RECOVERY -> new Expected(null, List.of("flight", "hotel"), List.of(),
                    "RUNNING hotel,flight", List.of("hotel", "flight"), SagaState.COMPENSATING, List.of("flight"),
                    List.of("flight"), Set.of("hotel"), Map.of("hotel", 1, "flight", 2), SagaState.COMPENSATED,
                    concat(hotelStarted, "SAGA_RECOVERING", "COMPENSATION_STARTED:hotel#1",
                            "COMPENSATION_COMPLETED:hotel#1", "COMPENSATION_STARTED:flight#1", "SAGA_RECOVERING",
                            "COMPENSATION_STARTED:flight#2", "COMPENSATION_COMPLETED:flight#2", "SAGA_COMPENSATED"));
        };
    }

    /**
     * What one kill point left.
     *
     * @param dir its directory
     * @param sagaId the saga's id, as the killed run printed it
     * @param sessionId its session's id
     * @param run what the killed run printed
     * @param afterRun the ledger after the killed run
     * @param killedRecovery what a recovery that was killed too printed, or {@code null}
     * @param afterKilledRecovery the ledger after it (the same as {@code afterRun} if there was none)
     * @param recover the finishing recovery
     * @param afterRecovery the ledger after it
     * @param again the recovery after that
     * @param afterAgain the ledger after it
     * @param verify the reader's {@code verify} of the trail in the end
     * @param records the trail in the end, exported by the reader
     * @param millis how long the kill point took
     */
    private record Outcome(Path dir, String sagaId, String sessionId, String run, List<Entry> afterRun,
            String killedRecovery, List<Entry> afterKilledRecovery, ForkedJvm.Result recover,
            List<Entry> afterRecovery, ForkedJvm.Result again, List<Entry> afterAgain, ReaderRuns.Run verify,
            List<Map<String, String>> records, long millis) {

        String context() {
            return "saga " + sagaId + " in " + dir + "\n--- killed run\n" + run
                    + (killedRecovery == null ? "" : "--- killed recovery\n" + killedRecovery)
                    + "--- recovery\n" + recover + "--- recovery again\n" + again
                    + "--- trail\n" + String.join("\n", records.stream().filter(r -> "SAGA".equals(r.get("type")))
                            .map(Map::toString).toList()) + "\n";
        }
    }

    @BeforeAll
    static void runAllKillPoints() {
        int parallel = Math.min(KillPoint.values().length,
                Math.max(2, Runtime.getRuntime().availableProcessors() / 2));
        pool = Executors.newFixedThreadPool(parallel);
        for (KillPoint kill : KillPoint.values()) {
            OUTCOMES.put(kill, pool.submit(() -> killAndRecover(kill, tmp.resolve(kill.name()))));
        }
        pool.shutdown();
    }

    @AfterAll
    static void awaitPool() throws InterruptedException {
        // Kill points whose test did not run (a filtered run) still finish, so no JVM of theirs outlives the class.
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "killed {0}")
    @EnumSource(KillPoint.class)
    void aSagaKilledMidwayIsFinishedByALaterRunAndUndoneOncePerKey(KillPoint kill) throws Throwable {
        Expected want = expected(kill);
        Outcome out;
        try {
            out = OUTCOMES.get(kill).get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
        String sagaId = out.sagaId();
        String context = kill + ", " + out.context();

        // The finishing recovery: what unfinished() said, what it recovered, and that nothing was left.
        assertThat(lines(out.recover(), "UNFINISHED ")).as("unfinished() before recovering; " + context)
                .containsExactly("UNFINISHED " + sagaId + " " + want.unfinished() + " "
                        + String.join(",", want.toCompensate()) + " " + out.sessionId() + " " + SagaCrashApp.AGENT);
        assertThat(lines(out.recover(), "RECOVERED ")).as(context)
                .containsExactly("RECOVERED " + sagaId + " " + want.recovered());
        assertThat(out.recover().lines()).as(context).contains("LEFT 0", "DONE");
        if (want.killedRecovery() != null) {
            assertThat(out.killedRecovery().lines().filter(l -> l.startsWith("UNFINISHED ")).toList())
                    .as("unfinished() in the recovery that was killed; " + context)
                    .containsExactly("UNFINISHED " + sagaId + " " + want.killedRecovery() + " " + out.sessionId()
                            + " " + SagaCrashApp.AGENT);
        }

        // The recovery after it finds nothing, and does nothing.
        assertThat(lines(out.again(), "UNFINISHED ")).as("a second recovery finds nothing; " + context).isEmpty();
        assertThat(lines(out.again(), "RECOVERED ")).as(context).isEmpty();
        assertThat(lines(out.again(), "CTX ")).as("a second recovery runs no compensation; " + context).isEmpty();
        assertThat(out.again().lines()).as(context).contains("LEFT 0", "DONE");
        assertThat(out.afterAgain()).as("a second recovery adds nothing to the ledger; " + context)
                .isEqualTo(out.afterRecovery());

        // The trail verifies, and tells the saga's whole story under its own id, session and agent.
        assertThat(out.verify().line()).as(context).startsWith("OK ");
        List<Map<String, String>> saga = out.records().stream().filter(r -> sagaId.equals(r.get("sagaId"))).toList();
        assertThat(saga).extracting(SagaCrashIT::event).as(context).containsExactlyElementsOf(want.events());
        assertThat(saga).as("every record of the saga, the recoveries' too, names its session and agent; " + context)
                .allSatisfy(r -> assertThat(r).containsEntry("type", "SAGA").containsEntry("sessionId",
                        out.sessionId()).containsEntry("agentId", SagaCrashApp.AGENT));
        assertThat(out.records()).filteredOn(r -> "SAGA".equals(r.get("type")))
                .as("no other saga on the trail; " + context)
                .allSatisfy(r -> assertThat(r).containsEntry("sagaId", sagaId));
        assertThat(saga.stream().filter(r -> "STEP_COMPLETED".equals(r.get("event"))
                && "flight".equals(r.get("step"))).findFirst().orElseThrow().get("data"))
                .as("the flight's Booking is on the trail as a record; " + context)
                .startsWith("r:" + SagaCrashApp.Booking.class.getName() + ";");
        Set<String> compensationCompleted = new LinkedHashSet<>();
        for (Map<String, String> r : saga) {
            if ("COMPENSATION_STARTED".equals(r.get("event"))) {
                assertThat(compensationCompleted).as("a compensation COMPLETED on the trail never runs again; "
                        + context).doesNotContain(r.get("step"));
            } else if ("COMPENSATION_COMPLETED".equals(r.get("event"))) {
                compensationCompleted.add(r.get("step"));
            }
        }

        checkLedger(want, out, saga, context);
        System.out.printf("SagaCrashIT: %s: saga %s, %d ledger lines, %s -> %s, %d ms%n", kill, sagaId,
                out.afterRecovery().size(), want.unfinished(), want.recovered(), out.millis());
    }

    private static void checkLedger(Expected want, Outcome out, List<Map<String, String>> saga, String context) {
        String sagaId = out.sagaId();
        List<Entry> all = out.afterRecovery();
        List<Entry> run = out.afterRun();
        List<Entry> killedRecovery = all.subList(run.size(), out.afterKilledRecovery().size());
        List<Entry> recovery = all.subList(out.afterKilledRecovery().size(), all.size());
        // Every line carries the key its action or compensation saw, the same in every process.
        assertThat(all).as("each line's key is <sagaId>:<step>; " + context)
                .allSatisfy(e -> assertThat(e.key()).isEqualTo(sagaId + ":" + e.step()));

        // Actions: only in the run, once per step, in order.
        assertThat(run).filteredOn(e -> e.kind().equals("ACTION")).extracting(Entry::step)
                .as("the actions that had their effect, once each; " + context)
                .containsExactlyElementsOf(want.booked());
        assertThat(all.subList(run.size(), all.size())).extracting(Entry::kind)
                .as("recovery runs no action; " + context).doesNotContain("ACTION");
        Map<String, String> actionResult = new LinkedHashMap<>();
        for (Entry e : run) {
            if (e.kind().equals("ACTION")) {
                actionResult.put(e.step(), e.result());
            }
        }
        assertThat(actionResult).as(context).containsEntry("flight", SagaCrashApp.FLIGHT.text());

        // Compensations in each process: which, in which order, with which result.
        assertThat(run).filteredOn(e -> e.kind().equals("UNDO")).extracting(Entry::step)
                .as("undone before the kill; " + context).containsExactlyElementsOf(want.undoneInRun());
        assertThat(killedRecovery).extracting(Entry::step).as("undone by the recovery that was killed; " + context)
                .containsExactlyElementsOf(want.undoneInKilledRecovery());
        assertThat(recovery).extracting(Entry::step).as("undone by the finishing recovery, newest first; " + context)
                .containsExactlyElementsOf(want.undoneOnRecovery());
        for (Entry e : all.subList(run.size(), all.size())) {
            String expected = want.unknownOutcome().contains(e.step()) ? "null" : actionResult.get(e.step());
            assertThat(e.result()).as("recovery hands the " + e.step() + " compensation "
                    + (expected.equals("null") ? "null: its outcome is unknown" : "the result the trail recorded")
                    + "; " + context).isEqualTo(expected);
        }
        List<String> recoveries = new ArrayList<>();
        if (out.killedRecovery() != null) {
            recoveries.add(out.killedRecovery());
        }
        recoveries.add(out.recover().stdout());
        for (int i = 0; i < recoveries.size(); i++) {
            List<String> undone = i < recoveries.size() - 1 ? want.undoneInKilledRecovery() : want.undoneOnRecovery();
            int segment = i;
            assertThat(recoveries.get(i).lines().filter(l -> l.startsWith("CTX ")).toList())
                    .as("each compensation a recovery ran saw its saga, step and attempt; " + context)
                    .containsExactlyElementsOf(undone.stream().map(step -> "CTX UNDO " + step + " " + sagaId + " "
                            + recoveryAttempt(saga, segment, step) + " true").toList());
        }

        // The downstream's view: booked keys minus cancelled keys.
        Set<String> booked = new LinkedHashSet<>();
        Set<String> cancelled = new LinkedHashSet<>();
        Map<String, Integer> undoLines = new LinkedHashMap<>();
        for (Entry e : all) {
            if (e.kind().equals("ACTION")) {
                booked.add(e.key());
            } else {
                undoLines.merge(e.step(), 1, Integer::sum);
                if (booked.contains(e.key())) {
                    cancelled.add(e.key());
                }
            }
        }
        Set<String> outstanding = new LinkedHashSet<>(booked);
        outstanding.removeAll(cancelled);
        if (want.recovered() == SagaState.COMPENSATED) {
            assertThat(outstanding).as("a compensated saga leaves nothing booked downstream; " + context).isEmpty();
        } else {
            assertThat(cancelled).as("a completed saga has nothing cancelled; " + context).isEmpty();
            assertThat(outstanding).as(context).hasSameSizeAs(want.booked());
        }
        assertThat(undoLines).as("raw UNDO lines per step: one, plus one per process killed after that compensation's "
                + "effect and before its outcome was recorded; " + context).isEqualTo(want.undoLines());

        // Nothing compensated that did not need it: only steps that may have acted.
        Set<String> mayHaveActed = new LinkedHashSet<>();
        for (Map<String, String> r : saga) {
            if ("STEP_STARTED".equals(r.get("event"))) {
                mayHaveActed.add(r.get("step"));
            } else if ("STEP_FAILED".equals(r.get("event")) && "final".equals(r.get("data"))) {
                mayHaveActed.remove(r.get("step")); // failed cleanly: taken to have had no effect
            }
        }
        assertThat(undoLines.keySet()).as("compensated only steps that may have acted " + mayHaveActed + "; "
                + context).isSubsetOf(mayHaveActed);
    }

    /**
     * @param segment which recovery: 0 for the first, and so on
     * @return the attempt of the step's compensation that recovery ran, from the trail
     */
    private static String recoveryAttempt(List<Map<String, String>> saga, int segment, String step) {
        int recovering = -1;
        for (Map<String, String> r : saga) {
            if ("SAGA_RECOVERING".equals(r.get("event"))) {
                recovering++;
            } else if (recovering == segment && "COMPENSATION_STARTED".equals(r.get("event"))
                    && step.equals(r.get("step"))) {
                return r.get("attempt");
            }
        }
        return "(none on the trail)";
    }

    // ---- running and killing ------------------------------------------------------------------------------------

    /** Runs one kill point's JVMs, one after the other, and gathers what they left. */
    private static Outcome killAndRecover(KillPoint kill, Path dir) throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(dir);
        Path policy = Trails.policy(dir, Trails.MATRIX_POLICY);
        Path audit = dir.resolve("audit");
        Path ledger = dir.resolve("ledger.txt");
        String agent = "policy=" + policy + ",audit.dir=" + audit;

        List<String> runArgs = List.of("run", kill.name(), ledger.toString(), dir.resolve("marker").toString());
        Path runOut = dir.resolve("run.out");
        Breakpoint at = expected(kill).breakpoint();
        assertThat(at != null).as("kill point table").isEqualTo(kill.byDebugger());
        if (at == null) {
            runToMarker(kill, agent, runArgs, dir.resolve("marker"), runOut);
        } else {
            runToBreakpoint(agent, runArgs, runOut, at);
        }
        String run = Files.readString(runOut) + "--- stderr\n" + Files.readString(err(runOut));
        String[] saga = run.lines().filter(l -> l.startsWith("SAGA ")).findFirst()
                .orElseThrow(() -> new AssertionError("the run printed no SAGA line\n" + run)).split(" ");
        String sagaId = saga[1];
        assertThat(run).as("the run never got to the end of run()\n" + run).doesNotContain("END ");
        if (at == null) {
            assertThat(Files.readString(dir.resolve("marker"))).isEqualTo(sagaId + " " + kill + "\n");
        }
        List<Entry> afterRun = ledger(ledger, "the killed run");

        String killedRecovery = null;
        List<Entry> afterKilledRecovery = afterRun;
        if (kill == KillPoint.DURING_RECOVERY) {
            Path out = dir.resolve("recover-killed.out");
            runToMarker(kill, agent, List.of("recover", ledger.toString(), kill.name(),
                    dir.resolve("marker2").toString()), dir.resolve("marker2"), out);
            killedRecovery = Files.readString(out) + "--- stderr\n" + Files.readString(err(out));
            afterKilledRecovery = ledger(ledger, "the killed recovery");
        }

        ForkedJvm.Result recover = recover(agent, ledger);
        assertThat(recover.exitCode()).as(recover.toString()).isZero();
        List<Entry> afterRecovery = ledger(ledger, "recovery");
        ForkedJvm.Result again = recover(agent, ledger);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        List<Entry> afterAgain = ledger(ledger, "the second recovery");
        for (List<Entry> later : List.of(afterKilledRecovery, afterRecovery, afterAgain)) {
            assertThat(later.subList(0, afterRun.size())).as("the ledger only grows").isEqualTo(afterRun);
        }
        assertThat(afterRecovery.subList(0, afterKilledRecovery.size())).isEqualTo(afterKilledRecovery);

        ReaderRuns.Run verify;
        List<Map<String, String>> records;
        synchronized (READER) {
            verify = ReaderRuns.run("verify", audit.toString());
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            records = export(audit);
        }
        return new Outcome(dir, sagaId, saga[2], run, afterRun, killedRecovery, afterKilledRecovery, recover,
                afterRecovery, again, afterAgain, verify, records, (System.nanoTime() - start) / 1_000_000);
    }

    private static Path err(Path out) {
        return out.resolveSibling(out.getFileName() + ".err");
    }

    private static ProcessBuilder launch(String agentOptions, List<String> appArgs, Path out, String... jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ForkedJvm.JAVA);
        cmd.add("-javaagent:" + ForkedJvm.AGENT_JAR + "=" + agentOptions);
        cmd.add(QUICK_START);
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", ForkedJvm.TEST_CLASSES + File.pathSeparator + ForkedJvm.API_JAR,
                SagaCrashApp.class.getName()));
        cmd.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err(out).toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AGENTMESH_"));
        return pb;
    }

    /** Runs the app until it writes its marker (it then blocks), and kills it. */
    private static void runToMarker(KillPoint kill, String agentOptions, List<String> appArgs, Path marker, Path out)
            throws Exception {
        Process app = launch(agentOptions, appArgs, out).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(marker)) {
                if (!app.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the app " + (app.isAlive() ? "did not reach" : "ended before")
                            + " kill point " + kill + ": " + appArgs + "\n--- stdout\n" + Files.readString(out)
                            + "--- stderr\n" + Files.readString(err(out)));
                }
                Thread.sleep(10);
            }
        } finally {
            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(app.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    /**
     * Runs the app under a debugger, stops every thread on entry to the journal write named by {@code at}, and kills
     * the JVM there: nothing after that instant happens.
     */
    private static void runToBreakpoint(String agentOptions, List<String> appArgs, Path out, Breakpoint at)
            throws Exception {
        ListeningConnector listen = Bootstrap.virtualMachineManager().listeningConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketListen")).findFirst().orElseThrow();
        Map<String, Connector.Argument> args = listen.defaultArguments();
        args.get("port").setValue("0");
        if (args.containsKey("localAddress")) {
            args.get("localAddress").setValue("127.0.0.1");
        }
        args.get("timeout").setValue("60000");
        String address = listen.startListening(args);
        String port = address.substring(address.lastIndexOf(':') + 1);
        Process app;
        try {
            app = launch(agentOptions, appArgs, out,
                    "-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=127.0.0.1:" + port).start();
        } catch (RuntimeException | java.io.IOException e) {
            listen.stopListening(args);
            throw e;
        }
        boolean hit = false;
        StringBuilder seen = new StringBuilder();
        try {
            VirtualMachine vm;
            try {
                vm = listen.accept(args);
            } finally {
                listen.stopListening(args);
            }
            ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
            prepare.addClassFilter(JOURNAL_CLASS);
            prepare.setSuspendPolicy(EventRequest.SUSPEND_ALL);
            prepare.enable();
            vm.classesByName(JOURNAL_CLASS).forEach(t -> breakOnWrite(vm, t));
            vm.resume();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            events:
            while (System.nanoTime() < deadline) {
                EventSet set = vm.eventQueue().remove(1000);
                if (set == null) {
                    continue;
                }
                for (Event e : set) {
                    if (e instanceof ClassPrepareEvent prepared) {
                        breakOnWrite(vm, prepared.referenceType());
                    } else if (e instanceof BreakpointEvent bp) {
                        List<Value> values = bp.thread().frame(0).getArgumentValues();
                        String event = enumName((ObjectReference) values.get(0));
                        String step = ((StringReference) values.get(1)).value();
                        seen.append(' ').append(event).append(step.isEmpty() ? "" : ":" + step);
                        if (event.equals(at.event()) && step.equals(at.step())) {
                            hit = true;
                            break events; // every thread stays suspended; the kill below is the next thing
                        }
                    } else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
                        break events;
                    }
                }
                set.resume();
            }
        } finally {
            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(hit).as("the debugger stopped the run at " + at + "; journal writes seen:" + seen
                + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err(out))).isTrue();
        assertThat(app.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    private static void breakOnWrite(VirtualMachine vm, ReferenceType journal) {
        List<Method> writes = journal.methodsByName(JOURNAL_WRITE);
        if (writes.size() != 1 || writes.get(0).argumentTypeNames().size() < 2
                || !writes.get(0).argumentTypeNames().get(1).equals("java.lang.String")) {
            throw new AssertionError(JOURNAL_CLASS + " no longer has one " + JOURNAL_WRITE + "(SagaEvent, String step, "
                    + "...) for the debugger to stop at: " + writes + "; update SagaCrashIT");
        }
        BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(writes.get(0).location());
        bp.setSuspendPolicy(EventRequest.SUSPEND_ALL);
        bp.enable();
    }

    private static String enumName(ObjectReference constant) {
        return ((StringReference) constant.getValue(constant.referenceType().fieldByName("name"))).value();
    }

    private static ForkedJvm.Result recover(String agentOptions, Path ledger) throws Exception {
        return ForkedJvm.main(SagaCrashApp.class).withAgent(agentOptions).jvmArg(QUICK_START)
                .args("recover", ledger.toString()).run();
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * One ledger line.
     *
     * @param kind ACTION or UNDO
     * @param step the step
     * @param key the idempotency key the action or compensation saw
     * @param result its result, or {@code null} as text
     */
    private record Entry(String kind, String step, String key, String result) {
    }

    /** @return the ledger's lines; every line must be complete (each was written whole and forced) */
    private static List<Entry> ledger(Path file, String after) throws Exception {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text.isEmpty() || text.endsWith("\n")).as("the ledger after " + after + " ends with a whole line:\n"
                + text).isTrue();
        List<Entry> entries = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] f = line.split(" ", 4);
            assertThat(f).as("ledger line '" + line + "'").hasSize(4);
            assertThat(f[0]).as("ledger line '" + line + "'").isIn("ACTION", "UNDO");
            entries.add(new Entry(f[0], f[1], f[2], f[3]));
        }
        return entries;
    }

    private static List<String> lines(ForkedJvm.Result r, String prefix) {
        return r.lines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** @return the trail as JSON lines through the real reader, each a flat map of fields (strings unescaped) */
    private static List<Map<String, String>> export(Path audit) throws Exception {
        ReaderRuns.Run r = ReaderRuns.run("export", audit.toString(), "--format", "jsonl");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Map<String, String>> records = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                fields.put(m.group(1), m.group(3) != null ? unescape(m.group(3)) : m.group(2).trim());
            }
            records.add(fields);
        }
        return records;
    }

    private static String unescape(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 == json.length()) {
                out.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e); // \" \\ \/
            }
        }
        return out.toString();
    }

    /** @return {@code EVENT} or {@code EVENT:step#attempt} */
    private static String event(Map<String, String> r) {
        return r.get("event") + (r.containsKey("step") ? ":" + r.get("step") + "#" + r.get("attempt") : "");
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
