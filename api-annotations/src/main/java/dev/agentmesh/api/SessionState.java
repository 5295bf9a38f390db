package dev.agentmesh.api;

/** Where a {@link Session} is in its life. States only move forward: CREATED, ACTIVE, TERMINATING, ARCHIVED. */
public enum SessionState {
    /** Created; no agent has joined yet. */
    CREATED,
    /** At least one agent has joined; governed actions run. */
    ACTIVE,
    /** {@link Session#terminate()} was called: no new action starts; those running finish. */
    TERMINATING,
    /** Terminated and recorded; the session takes no further calls. */
    ARCHIVED
}
