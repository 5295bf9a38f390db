package dev.agentmesh.it.apps.plaintools;

import dev.agentmesh.api.Ring;

/** Tools as a team writes them without AgentMesh in mind: no {@code @Ring}, except on {@link #dropCache}. */
public final class DbTools {

    /** Counts bodies that ran, so the test sees that a denied body never did. */
    public static int bodies;

    public String search(String q) {
        bodies++;
        return "rows for " + q;
    }

    public void dropTable(String table) {
        bodies++;
    }

    @Dangerous
    public void wipeBackups() {
        bodies++;
    }

    /** Its own {@code @Ring} wins over the policy's {@code drop*} pattern. */
    @Ring(2)
    public void dropCache() {
        bodies++;
    }

    public String unlisted() {
        bodies++;
        return "?";
    }
}
