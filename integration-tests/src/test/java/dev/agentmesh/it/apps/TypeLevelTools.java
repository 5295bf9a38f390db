package dev.agentmesh.it.apps;

import dev.agentmesh.api.Ring;

/** {@code @Ring} on the type governs its public methods that carry none of their own. */
@Ring(1)
public class TypeLevelTools {

    public String inherited() {
        return "inherited";
    }

    @Ring(3)
    public String own() {
        return "own";
    }

    String packagePrivate() {
        return "package-private";
    }
}
