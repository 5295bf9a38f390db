package dev.agentmesh.api;

import java.util.List;

/**
 * {@link SharedState#get} found concurrent siblings for a key and no conflict function to resolve them. Nothing is
 * dropped: {@link SharedState#read} returns them all, and a write after that read resolves them.
 */
public class StateConflictException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final List<String> siblings;

    /**
     * @param key the key
     * @param siblings its concurrent values
     */
    public StateConflictException(String key, List<String> siblings) {
        super("key '" + key + "' has " + siblings.size() + " concurrent values " + siblings
                + "; read them all with read(), then put() the resolution, or declare onConflict(key, merge)");
        this.key = key;
        this.siblings = List.copyOf(siblings);
    }

    /** @return the key */
    public String key() {
        return key;
    }

    /** @return its concurrent values, sorted */
    public List<String> siblings() {
        return siblings;
    }
}
