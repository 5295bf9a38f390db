package dev.agentmesh.agent.session;

import dev.agentmesh.audit.format.Utf8;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoded forms of session actions' type and name, made once per action so that {@code session.execute} does
 * not encode two strings and build a third on every call. Two levels of maps, so a lookup allocates no key. Bounded:
 * past {@value #MAX_CACHED} actions, their names are encoded per call rather than letting a flood of distinct names
 * grow the heap.
 */
final class ActionNames {

    static final int MAX_CACHED = 10_000;

    /** One action's record fields and display name. */
    static final class Action {
        final byte[] typeUtf8;
        final byte[] nameUtf8;
        final String displayName;

        private Action(String type, String name) {
            this.typeUtf8 = Utf8.encode(type);
            this.nameUtf8 = Utf8.encode(name);
            this.displayName = type + ":" + name;
        }
    }

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Action>> byType = new ConcurrentHashMap<>();
    private int cached; // racy on purpose: the bound is approximate, the maps stay correct

    /**
     * @param type the action type
     * @param name the action name
     * @return its encoded form
     */
    Action of(String type, String name) {
        ConcurrentHashMap<String, Action> names = byType.get(type);
        Action known = names == null ? null : names.get(name);
        if (known != null) {
            return known;
        }
        Action fresh = new Action(type, name);
        if (cached < MAX_CACHED) {
            cached++;
            byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).putIfAbsent(name, fresh);
        }
        return fresh;
    }
}
