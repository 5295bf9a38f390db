package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --fields}: the chosen fields, in the chosen order, with the same values as the full export. */
class ExportFieldsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void trail() {
        try (TrailFixture t = TrailFixture.standard(dir, 6)) {
            t.decision(RecordType.CALL_DENIED, "mallory", 3, 1, "s-1", "com.acme.Bank", "transfer", "(JJ)V",
                    "lead>orchestrator", "lead", new TrailFixture.Tool("spring-ai", "transfer", "call_9"))
                    .decision(RecordType.CALL_ALLOWED, "alice", 1, 1, "", "com.acme.Bank", "balance", "()J")
                    .outcome(RecordType.CALL_THREW, 7, 99, "java.io.IOException", "")
                    .session("s-1", SessionEvent.CREATED, "", TrailFormat.NO_RING, "EVENTUAL, max 5 participants")
                    .session("s-1", SessionEvent.JOINED, "alice", 1, "")
                    .saga("s-1", "trip-0a1b2c3d4e5f", SagaEvent.SAGA_STARTED, "alice", "", 0, -1, "trip", "trip")
                    .saga("", "trip-0a1b2c3d4e5f", SagaEvent.STEP_FAILED, "", "book", 2, 77, "x: y", "retry")
                    .control(ControlEvent.KILLED, "agent:alice", "ops-jane", "looping, again", "via jmx");
        }
    }

    @Test
    void allFieldsInTheFullOrderReproduceTheFullJsonlExport() {
        String all = "seq,time,timeMillis,type,hash,formatVersion,writerId,policyDigest,policySource,agentId,"
                + "agentRing,sessionId,sagaId,event,subject,actor,reason,step,attempt,detail,class,method,descriptor,"
                + "requiredRing,decision,argsDigest,onBehalfOf,vouchedBy,framework,tool,invocationId,callSeq,"
                + "durationNanos,outcome,exception,data";
        Cli.Result picked = Cli.run("export", dir.toString(), "--fields", all);
        assertThat(picked.exitCode()).as(picked.toString()).isEqualTo(ExitCodes.OK);
        assertThat(picked.out()).isEqualTo(Cli.run("export", dir.toString()).out());
    }

    @Test
    void csvHasTheChosenColumnsAndEmptyCellsWhereATypeLacksAField() {
        List<String> rows = csvRows("seq,agentId,decision,callSeq");
        assertThat(rows.get(0)).isEqualTo("seq,agentId,decision,callSeq");
        assertThat(rows).contains("6,mallory,DENY,", "8,,,7", "0,,,", "9,,,", "10,alice,,");
    }

    @Test
    void sessionFieldsArePickedLikeAnyOther() {
        assertThat(csvRows("seq,sessionId,event,agentId,agentRing,detail")).contains(
                "9,s-1,CREATED,,,\"EVENTUAL, max 5 participants\"", "10,s-1,JOINED,alice,1,",
                "6,s-1,,mallory,3,", "0,,,,,", "2,session-1,,,,", "8,,,,,");
        assertThat(jsonLines("seq,event,agentId,detail")).contains(
                "{\"seq\":9,\"event\":\"CREATED\",\"detail\":\"EVENTUAL, max 5 participants\"}",
                "{\"seq\":10,\"event\":\"JOINED\",\"agentId\":\"alice\",\"detail\":\"\"}",
                "{\"seq\":6,\"agentId\":\"mallory\"}");
        // outcomes carry the session of their call, "" outside one; GENESIS has none
        assertThat(jsonLines("seq,sessionId")).contains(
                "{\"seq\":2,\"sessionId\":\"session-1\"}", "{\"seq\":8,\"sessionId\":\"\"}", "{\"seq\":0}");
    }

    @Test
    void sagaFieldsArePickedLikeAnyOther() {
        assertThat(csvRows("seq,sagaId,event,step,attempt,durationNanos,agentId,data")).contains(
                "11,trip-0a1b2c3d4e5f,SAGA_STARTED,,,,alice,trip", "12,trip-0a1b2c3d4e5f,STEP_FAILED,book,2,77,,retry",
                "9,,CREATED,,,,,", "8,,,,,99,,");
        assertThat(jsonLines("seq,step,attempt,durationNanos,data")).contains("{\"seq\":11,\"data\":\"trip\"}",
                "{\"seq\":12,\"step\":\"book\",\"attempt\":2,\"durationNanos\":77,\"data\":\"retry\"}");
    }

    @Test
    void controlFieldsArePickedLikeAnyOther() {
        // A CONTROL record has no agentId or sessionId of its own: its subject names the agent.
        assertThat(csvRows("seq,event,subject,actor,reason,detail,agentId,sessionId")).contains(
                "13,KILLED,agent:alice,ops-jane,\"looping, again\",via jmx,,",
                "9,CREATED,,,,\"EVENTUAL, max 5 participants\",,s-1", "6,,,,,,mallory,s-1");
        assertThat(jsonLines("seq,subject,reason,agentId,sessionId")).contains(
                "{\"seq\":13,\"subject\":\"agent:alice\",\"reason\":\"looping, again\"}",
                "{\"seq\":12,\"sessionId\":\"\"}");
    }

    @Test
    void delegationAndFrameworkFieldsArePickedLikeAnyOther() {
        // Every decision has them, empty for a plain call of an agent acting for itself that no one vouches for; no
        // other type does.
        assertThat(csvRows("seq,agentId,onBehalfOf,vouchedBy,framework,tool,invocationId")).contains(
                "seq,agentId,onBehalfOf,vouchedBy,framework,tool,invocationId",
                "6,mallory,lead>orchestrator,lead,spring-ai,transfer,call_9", "7,alice,,,,,", "8,,,,,,",
                "13,,,,,,");
        assertThat(jsonLines("seq,onBehalfOf,vouchedBy")).contains(
                "{\"seq\":6,\"onBehalfOf\":\"lead>orchestrator\",\"vouchedBy\":\"lead\"}",
                "{\"seq\":7,\"onBehalfOf\":\"\",\"vouchedBy\":\"\"}", "{\"seq\":8}", "{\"seq\":13}");
        assertThat(jsonLines("seq,tool,invocationId,framework")).contains(
                "{\"seq\":6,\"tool\":\"transfer\",\"invocationId\":\"call_9\",\"framework\":\"spring-ai\"}",
                "{\"seq\":7,\"tool\":\"\",\"invocationId\":\"\",\"framework\":\"\"}", "{\"seq\":8}", "{\"seq\":13}");
    }

    @Test
    void jsonlLeavesOutFieldsTheTypeLacks() {
        assertThat(jsonLines("seq,exception")).contains("{\"seq\":8,\"exception\":\"java.io.IOException\"}",
                "{\"seq\":6}");
    }

    /** @return the CSV rows {@code export --fields} writes, its header first, once it has exited 0 */
    private List<String> csvRows(String fields) {
        Cli.Result r = Cli.run("export", dir.toString(), "--format", "csv", "--fields", fields);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        return List.of(r.out().split("\r\n"));
    }

    /** @return the JSON Lines {@code export --fields} writes */
    private List<String> jsonLines(String fields) {
        return Cli.run("export", dir.toString(), "--fields", fields).outLines();
    }

    @Test
    void unknownFieldsAndTextFormatAreUsageErrors() {
        Cli.Result unknown = Cli.run("export", dir.toString(), "--fields", "seq,colour");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(unknown.err()).startsWith("--fields: unknown field 'colour'; fields: seq,time,").hasLineCount(1);
        Cli.Result text = Cli.run("export", dir.toString(), "--format", "text", "--fields", "seq");
        assertThat(text.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(text.err()).contains("--fields applies to --format jsonl or csv");
    }
}
