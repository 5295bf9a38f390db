package dev.agentmesh.it.apps;

import dev.agentmesh.api.Ring;

/** One tool per ring, for the ring-pair matrix. Each body prints a marker so tests can see whether it ran. */
public class Tools {

    @Ring(0)
    public String ring0() {
        return ran("ring0");
    }

    @Ring(1)
    public String ring1() {
        return ran("ring1");
    }

    @Ring(2)
    public String ring2() {
        return ran("ring2");
    }

    @Ring(3)
    public String ring3() {
        return ran("ring3");
    }

    /** Not annotated: never governed. */
    public String free() {
        return ran("free");
    }

    @Ring(3)
    public String fails() {
        throw new IllegalStateException("tool failure");
    }

    private static String ran(String tool) {
        System.out.println("BODY " + tool);
        return tool;
    }
}
