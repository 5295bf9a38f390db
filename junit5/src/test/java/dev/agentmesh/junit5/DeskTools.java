package dev.agentmesh.junit5;

import dev.agentmesh.api.Ring;

/** Tools as a user would write them. */
public class DeskTools {

    @Ring(2)
    public String webSearch(String query) {
        return "results for " + query;
    }

    @Ring(1)
    public String writeFile(String name, String content) {
        return name;
    }
}
