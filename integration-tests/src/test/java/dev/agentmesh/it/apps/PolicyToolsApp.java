package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.it.apps.plaintools.DbTools;

/** A ring-2 agent calls plain methods the policy names by pattern and annotation; prints each outcome. */
public final class PolicyToolsApp {

    private PolicyToolsApp() {
    }

    public static void main(String[] args) {
        DbTools db = new DbTools();
        try (AgentContext.Scope ignored = AgentContext.enter("researcher-1")) {
            Outcomes.attempt("researcher-1", "search", () -> db.search("q"));
            Outcomes.attempt("researcher-1", "dropTable", () -> {
                db.dropTable("users");
                return null;
            });
            Outcomes.attempt("researcher-1", "wipeBackups", () -> {
                db.wipeBackups();
                return null;
            });
            Outcomes.attempt("researcher-1", "dropCache", () -> {
                db.dropCache();
                return null;
            });
            Outcomes.attempt("researcher-1", "unlisted", db::unlisted);
        }
        System.out.println("BODIES " + DbTools.bodies);
    }
}
