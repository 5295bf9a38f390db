package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;

/**
 * CSV with one fixed header for every record type; columns a type does not have are empty. GENESIS details are
 * left out: they do not fit the per-call columns, and the JSON Lines export carries them.
 */
final class CsvFormat implements RecordFormat {

    /** The header row. Its columns never move: spreadsheets and scripts address them by position. */
    static final String HEADER = "seq,time,type,agentId,agentRing,sessionId,class,method,descriptor,requiredRing,"
            + "decision,callSeq,durationNanos,exception,argsDigest,hash" + Csv.ROW_END;

    @Override
    public String header() {
        return HEADER;
    }

    @Override
    public String line(AuditRecord r, byte[] chainHash) {
        boolean decision = r.type().isDecision();
        boolean outcome = r.type().isOutcome();
        return new Csv()
                .field(r.seq())
                .field(IsoTime.of(r.timeMillis()))
                .field(r.type().label())
                .field(decision ? r.agentId() : "")
                .field(decision ? Long.toString(r.agentRing()) : "")
                .field(decision ? r.sessionId() : "")
                .field(decision ? r.className() : "")
                .field(decision ? r.methodName() : "")
                .field(decision ? r.descriptor() : "")
                .field(decision ? Long.toString(r.requiredRing()) : "")
                .field(decision ? r.decision() : "")
                .field(outcome ? Long.toString(r.callSeq()) : "")
                .field(outcome ? Long.toString(r.durationNanos()) : "")
                .field(r.type() == RecordType.CALL_THREW ? r.exceptionClass() : "")
                .field(decision ? Hex.of(r.argsDigest()) : "")
                .field(Hex.of(chainHash))
                .end();
    }
}
