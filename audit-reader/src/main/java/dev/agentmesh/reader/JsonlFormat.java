package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;

/** JSON Lines: one object per record, carrying only the fields its type has. */
final class JsonlFormat implements RecordFormat {

    @Override
    public String header() {
        return "";
    }

    @Override
    public String line(AuditRecord r, byte[] chainHash) {
        Json json = new Json()
                .number("seq", r.seq())
                .string("time", IsoTime.of(r.timeMillis()))
                .number("timeMillis", r.timeMillis())
                .string("type", r.type().label())
                .string("hash", Hex.of(chainHash));
        if (r.type() == RecordType.GENESIS) {
            json.number("formatVersion", r.version())
                    .string("writerId", r.writerId())
                    .string("policyDigest", Hex.of(r.policyDigest()))
                    .string("policySource", r.policySource());
        } else if (r.type().isDecision()) {
            json.string("agentId", r.agentId())
                    .number("agentRing", r.agentRing())
                    .string("sessionId", r.sessionId())
                    .string("class", r.className())
                    .string("method", r.methodName())
                    .string("descriptor", r.descriptor())
                    .number("requiredRing", r.requiredRing())
                    .string("decision", r.decision())
                    .string("argsDigest", Hex.of(r.argsDigest()));
        } else {
            json.number("callSeq", r.callSeq())
                    .number("durationNanos", r.durationNanos())
                    .string("outcome", r.type().label());
            if (r.type() == RecordType.CALL_THREW) {
                json.string("exception", r.exceptionClass());
            }
        }
        // "\n", not the platform separator: JSON Lines files are the same on every OS.
        return json.end() + '\n';
    }
}
