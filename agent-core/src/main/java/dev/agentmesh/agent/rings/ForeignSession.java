package dev.agentmesh.agent.rings;

import dev.agentmesh.api.Session;
import dev.agentmesh.audit.format.Utf8;

/**
 * A session object the hypervisor did not make, bound by application code through {@link Session#runAs}: every call
 * in it is denied and recorded under the id it claims, so no one can attribute calls to a real session, or escape
 * one, by writing a {@code Session} of their own.
 */
final class ForeignSession implements SessionGate {

    private final String id;
    private final byte[] idUtf8;

    private ForeignSession(String id) {
        this.id = id;
        this.idUtf8 = Utf8.encode(id);
    }

    static ForeignSession of(Session session) {
        String claimed;
        try {
            claimed = String.valueOf(session.id());
        } catch (RuntimeException e) {
            claimed = "?";
        }
        // Truncated so a hostile id cannot overflow the record's string field.
        return new ForeignSession(claimed.length() > 256 ? claimed.substring(0, 256) : claimed);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public byte[] idUtf8() {
        return idUtf8;
    }

    @Override
    public String refusal() {
        return "session '" + id + "' was not created by the AgentMesh hypervisor; it takes no calls";
    }
}
