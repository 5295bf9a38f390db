package dev.agentmesh.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of a session, made by {@link Session#checkpoint}: its shared state, its participants, and where on the
 * audit trail it was taken (the CHECKPOINT record). Immutable. Only the session that made a checkpoint restores it
 * and only the hypervisor forks from it: one made any other way is refused.
 */
public final class SessionCheckpoint {

    private final String name;
    private final String sessionId;
    private final Map<String, List<String>> state;
    private final Set<String> participants;
    private final long auditSeq;
    private final String auditHash;

    /**
     * @param name its name
     * @param sessionId the session it was taken of
     * @param state every key's values at that moment (several only for CAUSAL siblings)
     * @param participants the participants at that moment
     * @param auditSeq the seq of its CHECKPOINT record
     * @param auditHash that record's chain hash, hex
     */
    public SessionCheckpoint(String name, String sessionId, Map<String, List<String>> state, Set<String> participants,
            long auditSeq, String auditHash) {
        this.name = Ids.require("name", name);
        this.sessionId = Ids.require("sessionId", sessionId);
        TreeMap<String, List<String>> copy = new TreeMap<>();
        state.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.state = java.util.Collections.unmodifiableMap(copy);
        this.participants = java.util.Collections.unmodifiableSet(new TreeSet<>(participants));
        this.auditSeq = auditSeq;
        this.auditHash = auditHash;
    }

    /** @return its name */
    public String name() {
        return name;
    }

    /** @return the session it was taken of */
    public String sessionId() {
        return sessionId;
    }

    /** @return every key's values, by key in sorted order */
    public Map<String, List<String>> state() {
        return state;
    }

    /** @return the participants, sorted */
    public Set<String> participants() {
        return participants;
    }

    /** @return the seq of its CHECKPOINT record: the audit position */
    public long auditSeq() {
        return auditSeq;
    }

    /** @return that record's chain hash, hex */
    public String auditHash() {
        return auditHash;
    }

    @Override
    public String toString() {
        return "SessionCheckpoint[" + name + " of " + sessionId + " at seq " + auditSeq + ", " + state.size()
                + " keys]";
    }
}
