package dev.agentmesh.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * The tool of {@link BenchTools} ({@code int f(String query)}, returning its length) as the peers of issue 8 would
 * have it: audited by hand through a {@link PeerAuditLog}, and traced by the OpenTelemetry agent through
 * {@code @WithSpan}. Both annotations are inert without their agent.
 */
public class PeerTools {

    /** The ring {@link #handAudited} requires, as {@code @Ring(2)} on {@link BenchTools#governed}. */
    static final int REQUIRED_RING = 2;
    private static final String CLASS = PeerTools.class.getName();
    private static final String DESCRIPTOR = "(Ljava/lang/String;)I";

    private final PeerAuditLog audit;

    /** @param audit where {@link #handAudited} writes its records; {@code null} if it is not called */
    public PeerTools(PeerAuditLog audit) {
        this.audit = audit;
    }

    /**
     * The tool, its ring checked and its call recorded by application code: the decision record before the body,
     * the outcome record after it, as AgentMesh's advice does.
     *
     * @param query a search query
     * @return its length
     */
    public int handAudited(String query) {
        long call = audit.allow(REQUIRED_RING, CLASS, "handAudited", DESCRIPTOR, query);
        long start = System.nanoTime();
        int result;
        try {
            result = query.length();
        } catch (RuntimeException | Error e) {
            audit.threw(call, System.nanoTime() - start, e);
            throw e;
        }
        audit.returned(call, System.nanoTime() - start);
        return result;
    }

    /**
     * The tool, traced: one span per call when the OpenTelemetry agent is attached.
     *
     * @param query a search query
     * @return its length
     */
    @WithSpan
    public int withSpan(String query) {
        return query.length();
    }

    /**
     * Traced the same way as {@link #withSpan}; called once outside the measurement to check the agent is there.
     *
     * @return whether this call ran inside a valid span, which only the OpenTelemetry agent can have made
     */
    @WithSpan
    public boolean insideSpan() {
        return Span.current().getSpanContext().isValid();
    }
}
