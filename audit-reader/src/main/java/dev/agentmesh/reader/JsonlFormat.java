package dev.agentmesh.reader;

import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.RecordView.Text;
import dev.agentmesh.audit.format.TrailFormat;

/**
 * JSON Lines: one object per record, carrying only the fields its type has. Written from the record's bytes in
 * place (see {@link RecordView}); the values are those {@link RecordField} defines, in its order.
 */
final class JsonlFormat implements RecordFormat {

    @Override
    public String header() {
        return "";
    }

    @Override
    public void append(VerifiedRecord record, LineBuffer out) {
        RecordView r = record.view();
        byte[] b = r.buffer();
        RecordType type = r.type();
        Json json = new Json(out)
                .number("seq", r.seq())
                .time("time", r.timeMillis())
                .number("timeMillis", r.timeMillis())
                .string("type", type.label());
        int hashAt = record.canonicalLength();
        json.hex("hash", record.canonical(), hashAt, hashAt + TrailFormat.HASH_LENGTH);
        int digest = r.digestOffset();
        if (type == RecordType.GENESIS) {
            json.number("formatVersion", r.version());
            text(json, "writerId", r, Text.WRITER_ID);
            json.hex("policyDigest", b, digest, digest + TrailFormat.HASH_LENGTH);
            text(json, "policySource", r, Text.POLICY_SOURCE);
        } else if (type.isDecision()) {
            text(json, "agentId", r, Text.AGENT_ID);
            json.number("agentRing", r.agentRing());
            text(json, "sessionId", r, Text.SESSION_ID);
            text(json, "class", r, Text.CLASS_NAME);
            text(json, "method", r, Text.METHOD_NAME);
            text(json, "descriptor", r, Text.DESCRIPTOR);
            json.number("requiredRing", r.requiredRing())
                    .string("decision", type.label())
                    .hex("argsDigest", b, digest, digest + TrailFormat.HASH_LENGTH);
            // always, as sessionId is: "" when the agent acted for itself, or no one vouches for it
            text(json, "onBehalfOf", r, Text.ON_BEHALF_OF);
            text(json, "vouchedBy", r, Text.VOUCHED_BY);
            // always too: "" for a plain @Ring call, made through no agent framework
            text(json, "framework", r, Text.FRAMEWORK);
            text(json, "tool", r, Text.TOOL);
            text(json, "invocationId", r, Text.INVOCATION_ID);
        } else if (type == RecordType.SESSION_EVENT) {
            // agentId and agentRing only when the event names an agent
            if (r.textLength(Text.AGENT_ID) > 0) {
                text(json, "agentId", r, Text.AGENT_ID);
            }
            if (r.agentRing() >= 0) {
                json.number("agentRing", r.agentRing());
            }
            text(json, "sessionId", r, Text.SESSION_ID);
            json.string("event", r.sessionEvent().label());
            text(json, "detail", r, Text.DETAIL);
        } else if (type == RecordType.SAGA_EVENT) {
            // agentId only when the saga runs as one; step and attempt only when the event names a step;
            // durationNanos only for the outcome of an attempt
            if (r.textLength(Text.AGENT_ID) > 0) {
                text(json, "agentId", r, Text.AGENT_ID);
            }
            text(json, "sessionId", r, Text.SESSION_ID);
            text(json, "sagaId", r, Text.SAGA_ID);
            json.string("event", r.sagaEvent().label());
            if (r.textLength(Text.STEP) > 0) {
                text(json, "step", r, Text.STEP);
            }
            if (r.attempt() != 0) {
                json.number("attempt", r.attempt());
            }
            text(json, "detail", r, Text.DETAIL);
            if (r.durationNanos() != -1) {
                json.number("durationNanos", r.durationNanos());
            }
            text(json, "data", r, Text.DATA);
        } else if (type == RecordType.CONTROL) {
            json.string("event", r.controlEvent().label());
            text(json, "subject", r, Text.SUBJECT);
            text(json, "actor", r, Text.ACTOR);
            text(json, "reason", r, Text.REASON);
            text(json, "detail", r, Text.DETAIL);
        } else {
            text(json, "sessionId", r, Text.SESSION_ID);
            json.number("callSeq", r.callSeq())
                    .number("durationNanos", r.durationNanos())
                    .string("outcome", type.label());
            if (type == RecordType.CALL_THREW) {
                text(json, "exception", r, Text.EXCEPTION_CLASS);
            }
        }
        json.close();
        // "\n", not the platform separator: JSON Lines files are the same on every OS.
        out.append('\n');
    }

    private static void text(Json json, String name, RecordView r, Text field) {
        json.string(name, r.buffer(), r.textOffset(field), r.textLength(field));
    }
}
