package dev.agentmesh.junit5;

import java.util.Map;
import java.util.Optional;

/**
 * One record of a test's trail, with the field names of the audit reader's JSON Lines export ({@code seq},
 * {@code type}, {@code agentId}, {@code method}, {@code requiredRing}, {@code sessionId}, {@code event}, …).
 * Immutable.
 */
public final class AuditEntry {

    private final Map<String, Object> fields;

    AuditEntry(Map<String, Object> fields) {
        this.fields = Map.copyOf(fields);
    }

    /** @return every field the record's type has */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * @param name a field name
     * @return its value: a {@code Long} or a {@code String}; empty if the record's type lacks it
     */
    public Optional<Object> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** @return the record's position in the trail */
    public long seq() {
        return (Long) fields.get("seq");
    }

    /** @return GENESIS, ALLOW, DENY, RETURNED, THREW or SESSION */
    public String type() {
        return (String) fields.get("type");
    }

    /** @return the acting agent, or empty */
    public String agentId() {
        return text("agentId");
    }

    /** @return the method (or a session action's name), or empty */
    public String method() {
        return text("method");
    }

    /** @return the declaring class (or a session action's type), or empty */
    public String className() {
        return text("class");
    }

    /** @return the session id, or empty */
    public String sessionId() {
        return text("sessionId");
    }

    /** @return a SESSION record's event (CREATED, JOINED, STATE_WRITE, …), or empty */
    public String event() {
        return text("event");
    }

    /** @return whether this is an ALLOW or DENY record */
    public boolean isDecision() {
        return "ALLOW".equals(type()) || "DENY".equals(type());
    }

    private String text(String name) {
        Object v = fields.get(name);
        return v == null ? "" : v.toString();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
