package dev.agentmesh.reader;

import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.RecordView.Text;
import dev.agentmesh.audit.format.TrailFormat;

/**
 * CSV with one fixed header for every record type; columns a type does not have are empty. SESSION records fill
 * {@code agentId}, {@code agentRing} (empty when the event names no agent), {@code sessionId}, and the
 * {@code event} and {@code detail} columns; SAGA records fill {@code agentId} (empty when the saga runs as no agent),
 * {@code sessionId}, {@code durationNanos} (for the outcome of an attempt), {@code event}, {@code detail} and the
 * {@code sagaId}, {@code step}, {@code attempt} (empty for saga-level events) and {@code data} columns; CONTROL
 * records fill {@code event}, {@code detail} and the {@code subject}, {@code actor} and {@code reason} columns;
 * decisions fill the {@code onBehalfOf}, {@code vouchedBy}, {@code framework}, {@code tool} and
 * {@code invocationId} columns at the end besides their own; outcomes fill
 * {@code sessionId} (empty outside a session) besides their own. GENESIS details are left out: they do not fit the
 * per-call columns, and the JSON Lines export carries them. Written from the record's bytes in place
 * (see {@link RecordView}).
 */
final class CsvFormat implements RecordFormat {

    /**
     * The header row. Its columns never move: spreadsheets and scripts address them by position. Columns added
     * later go at the end: {@code event} and {@code detail} came with SESSION records, {@code sagaId},
     * {@code step}, {@code attempt} and {@code data} with SAGA records, {@code subject}, {@code actor} and
     * {@code reason} with CONTROL records, {@code onBehalfOf} and {@code vouchedBy} with format version 2,
     * {@code framework}, {@code tool} and {@code invocationId} with format version 3.
     */
    static final String HEADER = "seq,time,type,agentId,agentRing,sessionId,class,method,descriptor,requiredRing,"
            + "decision,callSeq,durationNanos,exception,argsDigest,hash,event,detail,sagaId,step,attempt,data,"
            + "subject,actor,reason,onBehalfOf,vouchedBy,framework,tool,invocationId" + Csv.ROW_END;

    @Override
    public String header() {
        return HEADER;
    }

    @Override
    public void append(VerifiedRecord record, LineBuffer out) {
        RecordView r = record.view();
        RecordType type = r.type();
        Csv row = new Csv(out).field(r.seq()).time(r.timeMillis()).field(type.label());
        boolean session = type == RecordType.SESSION_EVENT;
        boolean saga = type == RecordType.SAGA_EVENT;
        boolean control = type == RecordType.CONTROL;
        if (type.isDecision()) {
            text(row, r, Text.AGENT_ID).field(r.agentRing());
            text(row, r, Text.SESSION_ID);
            text(row, r, Text.CLASS_NAME);
            text(row, r, Text.METHOD_NAME);
            text(row, r, Text.DESCRIPTOR).field(r.requiredRing()).field(type.label());
        } else if (session) {
            text(row, r, Text.AGENT_ID);
            if (r.agentRing() >= 0) {
                row.field(r.agentRing());
            } else {
                row.empty();
            }
            text(row, r, Text.SESSION_ID).empty().empty().empty().empty().empty();
        } else if (saga) {
            text(row, r, Text.AGENT_ID).empty();
            text(row, r, Text.SESSION_ID).empty().empty().empty().empty().empty();
        } else if (type.isOutcome()) {
            text(row.empty().empty(), r, Text.SESSION_ID).empty().empty().empty().empty().empty();
        } else {
            row.empty().empty().empty().empty().empty().empty().empty().empty();
        }
        if (type.isOutcome()) {
            row.field(r.callSeq()).field(r.durationNanos());
        } else if (saga && r.durationNanos() != -1) {
            row.empty().field(r.durationNanos());
        } else {
            row.empty().empty();
        }
        if (type == RecordType.CALL_THREW) {
            text(row, r, Text.EXCEPTION_CLASS);
        } else {
            row.empty();
        }
        if (type.isDecision()) {
            row.hex(r.buffer(), r.digestOffset(), r.digestOffset() + TrailFormat.HASH_LENGTH);
        } else {
            row.empty();
        }
        int hashAt = record.canonicalLength();
        row.hex(record.canonical(), hashAt, hashAt + TrailFormat.HASH_LENGTH);
        if (session) {
            row.field(r.sessionEvent().label());
            text(row, r, Text.DETAIL);
        } else if (saga) {
            row.field(r.sagaEvent().label());
            text(row, r, Text.DETAIL);
        } else if (control) {
            row.field(r.controlEvent().label());
            text(row, r, Text.DETAIL);
        } else {
            row.empty().empty();
        }
        if (saga) {
            text(row, r, Text.SAGA_ID);
            text(row, r, Text.STEP);
            if (r.attempt() != 0) {
                row.field(r.attempt());
            } else {
                row.empty();
            }
            text(row, r, Text.DATA);
        } else {
            row.empty().empty().empty().empty();
        }
        if (control) {
            text(row, r, Text.SUBJECT);
            text(row, r, Text.ACTOR);
            text(row, r, Text.REASON);
        } else {
            row.empty().empty().empty();
        }
        if (type.isDecision()) {
            text(row, r, Text.ON_BEHALF_OF);
            text(row, r, Text.VOUCHED_BY);
            text(row, r, Text.FRAMEWORK);
            text(row, r, Text.TOOL);
            text(row, r, Text.INVOCATION_ID);
        } else {
            row.empty().empty().empty().empty().empty();
        }
        row.close();
    }

    private static Csv text(Csv row, RecordView r, Text field) {
        return row.field(r.buffer(), r.textOffset(field), r.textLength(field));
    }
}
