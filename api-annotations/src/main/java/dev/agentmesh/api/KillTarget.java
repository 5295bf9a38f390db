package dev.agentmesh.api;

import java.util.Objects;

/**
 * What a kill stops: one agent, one session (every agent acting in it), or everything governed in this JVM.
 * Immutable; equal when kind and id are.
 */
public final class KillTarget {

    /** The kinds of target. */
    public enum Kind {
        /** One agent, in every session and outside them. */
        AGENT,
        /** Every call made in one session. */
        SESSION,
        /** Every governed call. */
        ALL
    }

    private static final KillTarget ALL = new KillTarget(Kind.ALL, "*");

    private final Kind kind;
    private final String id;

    private KillTarget(Kind kind, String id) {
        this.kind = kind;
        this.id = id;
    }

    /**
     * @param agentId an agent id
     * @return that agent as a target
     * @throws IllegalArgumentException if the id is malformed
     */
    public static KillTarget agent(String agentId) {
        return new KillTarget(Kind.AGENT, Ids.require("agentId", agentId));
    }

    /**
     * @param sessionId a session id
     * @return that session as a target
     * @throws IllegalArgumentException if the id is malformed
     */
    public static KillTarget session(String sessionId) {
        return new KillTarget(Kind.SESSION, Ids.require("sessionId", sessionId));
    }

    /** @return every governed call in this JVM */
    public static KillTarget all() {
        return ALL;
    }

    /**
     * Reads the form {@link #toString()} writes.
     *
     * @param text {@code agent:<id>}, {@code session:<id>} or {@code all}
     * @return the target
     * @throws IllegalArgumentException if the text is not one of those
     */
    public static KillTarget parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.equals("all")) {
            return ALL;
        }
        if (text.startsWith("agent:")) {
            return agent(text.substring(6));
        }
        if (text.startsWith("session:")) {
            return session(text.substring(8));
        }
        throw new IllegalArgumentException("a kill target is agent:<id>, session:<id> or all, not '" + text + "'");
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the agent or session id, or {@code *} for everything */
    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KillTarget t && t.kind == kind && t.id.equals(id);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + id.hashCode();
    }

    /** @return {@code agent:<id>}, {@code session:<id>} or {@code all} */
    @Override
    public String toString() {
        return kind == Kind.ALL ? "all" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }
}
