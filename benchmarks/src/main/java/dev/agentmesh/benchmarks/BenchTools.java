package dev.agentmesh.benchmarks;

import dev.agentmesh.api.Ring;

/** The same small tool three ways: ungoverned, governed and allowed, governed and denied. */
public class BenchTools {

    /**
     * @param query a search query
     * @return its length
     */
    public int plain(String query) {
        return query.length();
    }

    /**
     * @param query a search query
     * @return its length
     */
    @Ring(2)
    public int governed(String query) {
        return query.length();
    }

    /**
     * @param query a search query
     * @return its length
     */
    @Ring(1)
    public int privileged(String query) {
        return query.length();
    }
}
