package dev.agentmesh.agent.testing;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.bootstrap.Testing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Test mode ({@code testing=true}): lets the JUnit extension move the trail to a directory per test and read back,
 * verified, what a test recorded. Records come back as plain maps with the audit reader's JSON Lines field names, so
 * the extension needs none of the agent's classes.
 */
public final class TestHooks implements Testing.Hooks {

    private final AuditTrail trail;

    /** @param trail the agent's trail */
    public TestHooks(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void useTrail(Path dir) {
        trail.switchTo(dir);
    }

    @Override
    public void shiftClock(long millis) {
        trail.shiftClock(millis);
    }

    @Override
    public List<Map<String, Object>> records() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TestHooks.class.getClassLoader());
        List<Map<String, Object>> out = new ArrayList<>();
        ChainVerifier verifier = new ChainVerifier();
        try (SingleChronicleQueue queue = TrailQueue.openForReading(trail.dir())) {
            TrailQueue.readAll(queue, (stored, length, index) -> {
                AuditRecord r = verifier.accept(stored, length);
                out.add(fields(r, Hex.of(java.util.Arrays.copyOfRange(stored, length - TrailFormat.HASH_LENGTH,
                        length))));
                return true;
            });
        } catch (ChainBreak e) {
            throw new IllegalStateException("the test's trail in " + trail.dir() + " does not verify: " + e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test's trail in " + trail.dir() + ": " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        return Collections.unmodifiableList(out);
    }

    /** The fields the reader's JSON Lines export gives a record of this type, with the same names. */
    static Map<String, Object> fields(AuditRecord r, String hash) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seq", r.seq());
        f.put("timeMillis", r.timeMillis());
        f.put("type", r.type().label());
        f.put("hash", hash);
        switch (r.type()) {
            case GENESIS:
                f.put("writerId", r.writerId());
                f.put("policySource", r.policySource());
                break;
            case CALL_ALLOWED:
            case CALL_DENIED:
                f.put("agentId", r.agentId());
                f.put("agentRing", (long) r.agentRing());
                f.put("sessionId", r.sessionId());
                f.put("class", r.className());
                f.put("method", r.methodName());
                f.put("descriptor", r.descriptor());
                f.put("requiredRing", (long) r.requiredRing());
                f.put("decision", r.decision());
                break;
            case SESSION_EVENT:
                if (!r.agentId().isEmpty()) {
                    f.put("agentId", r.agentId());
                    f.put("agentRing", (long) r.agentRing());
                }
                f.put("sessionId", r.sessionId());
                f.put("event", r.sessionEvent().label());
                f.put("detail", r.detail());
                break;
            case SAGA_EVENT:
                // as the reader's JSON Lines: agentId, step, attempt and durationNanos only where the record has them
                if (!r.agentId().isEmpty()) {
                    f.put("agentId", r.agentId());
                }
                f.put("sessionId", r.sessionId());
                f.put("sagaId", r.sagaId());
                f.put("event", r.sagaEvent().label());
                if (!r.step().isEmpty()) {
                    f.put("step", r.step());
                }
                if (r.attempt() != 0) {
                    f.put("attempt", (long) r.attempt());
                }
                f.put("detail", r.detail());
                if (r.durationNanos() != -1) {
                    f.put("durationNanos", r.durationNanos());
                }
                f.put("data", r.data());
                break;
            default:
                f.put("callSeq", r.callSeq());
                f.put("durationNanos", r.durationNanos());
                f.put("outcome", r.type().label());
                if (r.type() == RecordType.CALL_THREW) {
                    f.put("exception", r.exceptionClass());
                }
                break;
        }
        return Collections.unmodifiableMap(f);
    }
}
