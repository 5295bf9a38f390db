package dev.agentmesh.agent.policy;

import java.util.List;
import java.util.OptionalInt;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Turns the node tree of a policy document into a {@link Policy.Builder}, checking the format described on
 * {@link Policy} and naming the line of every mistake. The builder checks the same rules again, but without
 * lines, so they are checked here first.
 */
final class PolicyTreeReader {

    private static final List<String> TOP_KEYS = List.of("version", "defaults", "agents");
    private static final List<String> DEFAULTS_KEYS = List.of("ring", "agent");
    private static final List<String> AGENT_KEYS = List.of("ring");
    private static final List<String> ANY_KEY = List.of();
    private static final String RING_RANGE = "an integer from 0 (system) to 3 (sandboxed)";

    private final String source;

    private PolicyTreeReader(String source) {
        this.source = source;
    }

    /**
     * @param source names the file in messages
     * @param root   the document's root node, not YAML null
     * @return a builder holding the document's rings and defaults
     * @throws PolicyException if the document breaks the format
     */
    static Policy.Builder read(String source, Node root) {
        return new PolicyTreeReader(source).readTop(root);
    }

    private Policy.Builder readTop(Node root) {
        MappingNode top = mapping(root, "a policy must be a mapping with the keys " + String.join(", ", TOP_KEYS));
        Policy.Builder policy = Policy.builder();
        for (MappingEntries.Entry e : entries(top, "key", "at top level", TOP_KEYS)) {
            switch (e.key()) {
                case "version" -> checkVersion(e.value());
                case "defaults" -> readDefaults(e.value(), policy);
                case "agents" -> readAgents(e.value(), policy);
                default -> throw new IllegalStateException("key not in TOP_KEYS: " + e.key());
            }
        }
        return policy;
    }

    private void checkVersion(Node value) {
        OptionalInt version = Nodes.intValue(value);
        if (version.isEmpty() || version.getAsInt() != 1) {
            throw Nodes.error(source, value, "version must be 1, got " + Nodes.describe(value));
        }
    }

    private void readDefaults(Node value, Policy.Builder policy) {
        // An empty section is YAML null; it means "no defaults given", not a mistake.
        if (Nodes.isNull(value)) {
            return;
        }
        MappingNode map = mapping(value,
                "defaults must be a mapping with the keys " + String.join(", ", DEFAULTS_KEYS));
        for (MappingEntries.Entry e : entries(map, "key", "under defaults", DEFAULTS_KEYS)) {
            switch (e.key()) {
                case "ring" -> policy.defaultRing(ring(e.value(), "defaults.ring"));
                case "agent" -> policy.defaultAgent(defaultAgent(e.value()));
                default -> throw new IllegalStateException("key not in DEFAULTS_KEYS: " + e.key());
            }
        }
    }

    private String defaultAgent(Node value) {
        String id = Nodes.text(value);
        if (!Policy.isAgentId(id)) {
            throw Nodes.error(source, value,
                    "defaults.agent must be a non-blank agent id, got " + Nodes.describe(value));
        }
        return id;
    }

    private void readAgents(Node value, Policy.Builder policy) {
        if (Nodes.isNull(value)) {
            return;
        }
        MappingNode map = mapping(value, "agents must be a mapping from agent id to settings such as {ring: 1}");
        for (MappingEntries.Entry agent : entries(map, "agent id", "under agents", ANY_KEY)) {
            policy.agent(agent.key(), agentRing(agent));
        }
    }

    private int agentRing(MappingEntries.Entry agent) {
        String name = "agent " + Nodes.quote(agent.key());
        MappingNode settings = mapping(agent.value(), name + " must be a mapping such as {ring: 1}");
        // AGENT_KEYS holds only "ring", so any entry that passes the check is the ring.
        List<MappingEntries.Entry> entries = entries(settings, "key", "for " + name, AGENT_KEYS);
        if (entries.isEmpty()) {
            throw Nodes.error(source, agent.keyNode(), name + " has no ring; give it one such as {ring: 1}");
        }
        return ring(entries.get(0).value(), "ring of " + name);
    }

    private int ring(Node value, String what) {
        OptionalInt ring = Nodes.intValue(value);
        if (ring.isEmpty() || !Policy.isRing(ring.getAsInt())) {
            throw Nodes.error(source, value, what + " must be " + RING_RANGE + ", got " + Nodes.describe(value));
        }
        return ring.getAsInt();
    }

    private MappingNode mapping(Node value, String expectation) {
        if (!(value instanceof MappingNode)) {
            throw Nodes.error(source, value, expectation + ", got " + Nodes.describe(value));
        }
        return (MappingNode) value;
    }

    private List<MappingEntries.Entry> entries(MappingNode map, String noun, String place, List<String> allowed) {
        return MappingEntries.read(source, map, noun, place, allowed);
    }
}
