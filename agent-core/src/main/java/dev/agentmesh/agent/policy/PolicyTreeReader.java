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

    private static final List<String> TOP_KEYS = List.of("version", "defaults", "limits", "agents", "liability",
            "breach", "tools", "fleet");
    private static final List<String> DEFAULTS_KEYS = List.of("ring", "agent", "toolRing", "inheritRing");
    private static final List<String> AGENT_KEYS = List.of("ring", "limit", "elevation", "trust");
    private static final List<String> ELEVATION_KEYS = List.of("ring", "maxMinutes");
    private static final List<String> TOOL_KEYS = List.of("ring");
    private static final List<String> LIMITS_KEYS = List.of("rings", "session");
    private static final List<String> LIMIT_KEYS = List.of("perSecond", "burst");
    private static final String LIMIT_FORM = "a mapping such as {perSecond: 50, burst: 100}";
    private static final List<String> ANY_KEY = List.of();
    private static final String RING_RANGE = "an integer from 0 (system) to 3 (sandboxed)";

    /** What {@code ring: trust} reads as before it reaches the builder. */
    private static final int FROM_TRUST = -1;

    private final String source;
    /** Whether the document has a liability section; agents may be read before it. */
    private boolean liability;

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
        List<MappingEntries.Entry> sections = entries(top, "key", "at top level", TOP_KEYS);
        liability = sections.stream().anyMatch(e -> e.key().equals("liability"));
        for (MappingEntries.Entry e : sections) {
            switch (e.key()) {
                case "version" -> checkVersion(e.value());
                case "defaults" -> readDefaults(e.value(), policy);
                case "limits" -> readLimits(e.value(), policy);
                case "agents" -> readAgents(e.value(), policy);
                case "liability" -> policy.liability(LiabilityReader.read(source, e.value()));
                case "breach" -> policy.breach(LiabilityReader.breach(source, e.value()));
                case "tools" -> readTools(e.value(), policy);
                case "fleet" -> policy.fleet(FleetReader.read(source, e.value()));
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
                case "toolRing" -> policy.defaultToolRing(ring(e.value(), "defaults.toolRing"));
                case "inheritRing" -> policy.ringInherited(bool(e.value(), "defaults.inheritRing"));
                default -> throw new IllegalStateException("key not in DEFAULTS_KEYS: " + e.key());
            }
        }
    }

    private boolean bool(Node value, String what) {
        java.util.Optional<Boolean> b = Nodes.booleanValue(value);
        if (b.isEmpty()) {
            throw Nodes.error(source, value, what + " must be true or false, got " + Nodes.describe(value));
        }
        return b.get();
    }

    private String defaultAgent(Node value) {
        String id = Nodes.text(value);
        if (!Policy.isAgentId(id)) {
            throw Nodes.error(source, value,
                    "defaults.agent must be a non-blank agent id, got " + Nodes.describe(value));
        }
        return id;
    }

    private void readTools(Node value, Policy.Builder policy) {
        if (Nodes.isNull(value)) {
            return;
        }
        MappingNode map = mapping(value, "tools must be a mapping from a tool to settings such as {ring: 2}");
        for (MappingEntries.Entry tool : entries(map, "tool", "under tools", ANY_KEY)) {
            String name = "tool " + Nodes.quote(tool.key());
            MappingNode settings = mapping(tool.value(), name + " must be a mapping such as {ring: 2}");
            Integer ring = null;
            for (MappingEntries.Entry e : entries(settings, "key", "for " + name, TOOL_KEYS)) {
                ring = ring(e.value(), "ring of " + name);
            }
            if (ring == null) {
                throw Nodes.error(source, tool.keyNode(), name + " has no ring; give it one such as {ring: 2}");
            }
            try {
                policy.tool(ToolRule.of(tool.key(), ring, Nodes.line(tool.keyNode())));
            } catch (IllegalArgumentException e) {
                throw Nodes.error(source, tool.keyNode(), name + ": " + e.getMessage());
            }
        }
    }

    private void readAgents(Node value, Policy.Builder policy) {
        if (Nodes.isNull(value)) {
            return;
        }
        MappingNode map = mapping(value, "agents must be a mapping from agent id to settings such as {ring: 1}");
        for (MappingEntries.Entry agent : entries(map, "agent id", "under agents", ANY_KEY)) {
            readAgent(agent, policy);
        }
    }

    private void readAgent(MappingEntries.Entry agent, Policy.Builder policy) {
        String name = "agent " + Nodes.quote(agent.key());
        MappingNode settings = mapping(agent.value(), name + " must be a mapping such as {ring: 1}");
        Integer ring = null;
        RateLimit limit = null;
        ElevationLimit elevation = null;
        Integer trust = null;
        for (MappingEntries.Entry e : entries(settings, "key", "for " + name, AGENT_KEYS)) {
            switch (e.key()) {
                case "ring" -> ring = "trust".equals(Nodes.text(e.value())) && Nodes.intValue(e.value()).isEmpty()
                        ? Integer.valueOf(FROM_TRUST) : Integer.valueOf(ring(e.value(), "ring of " + name,
                                RING_RANGE + ", or trust"));
                case "trust" -> trust = LiabilityReader.trust(source, e.value(), "trust of " + name);
                case "limit" -> limit = limit(e.value(), "limit of " + name);
                case "elevation" -> elevation = elevation(e.value(), "elevation of " + name);
                default -> throw new IllegalStateException("key not in AGENT_KEYS: " + e.key());
            }
        }
        if (ring == null) {
            throw Nodes.error(source, agent.keyNode(), name + " has no ring; give it one such as {ring: 1}, or "
                    + "{ring: trust} to have its trust decide");
        }
        if (ring == FROM_TRUST) {
            if (!liability) {
                throw Nodes.error(source, agent.keyNode(), name + " takes its ring from trust, but the policy has no "
                        + "liability section to say what trust each ring needs");
            }
            if (elevation != null) {
                throw Nodes.error(source, agent.keyNode(), name + " takes its ring from trust, so it cannot have an "
                        + "elevation too");
            }
            policy.agentFromTrust(agent.key());
        } else {
            policy.agent(agent.key(), ring);
        }
        if (trust != null) {
            if (!liability) {
                throw Nodes.error(source, agent.keyNode(), name + " has a trust score, but the policy has no "
                        + "liability section, so nothing would use it");
            }
            policy.agentTrust(agent.key(), trust);
        }
        if (limit != null) {
            policy.agentLimit(agent.key(), limit);
        }
        if (elevation != null) {
            if (elevation.ring() >= ring) {
                throw Nodes.error(source, agent.keyNode(), "elevation of " + name + " reaches ring "
                        + elevation.ring() + ", which is not more privileged than its own ring " + ring);
            }
            policy.agentElevation(agent.key(), elevation);
        }
    }

    private ElevationLimit elevation(Node value, String what) {
        MappingNode map = mapping(value, what + " must be a mapping such as {ring: 1, maxMinutes: 15}");
        Integer ring = null;
        int minutes = ElevationLimit.DEFAULT_MAX_MINUTES;
        for (MappingEntries.Entry e : entries(map, "key", "in " + what, ELEVATION_KEYS)) {
            if (e.key().equals("ring")) {
                OptionalInt n = Nodes.intValue(e.value());
                if (n.isEmpty() || n.getAsInt() < 1 || n.getAsInt() > Policy.MAX_RING) {
                    throw Nodes.error(source, e.value(), what + ".ring must be 1 to 3 (elevation never grants "
                            + "ring 0), got " + Nodes.describe(e.value()));
                }
                ring = n.getAsInt();
            } else {
                OptionalInt n = Nodes.intValue(e.value());
                if (n.isEmpty() || n.getAsInt() < 1 || n.getAsInt() > ElevationLimit.MAX_MINUTES) {
                    throw Nodes.error(source, e.value(), what + ".maxMinutes must be an integer from 1 to "
                            + ElevationLimit.MAX_MINUTES + ", got " + Nodes.describe(e.value()));
                }
                minutes = n.getAsInt();
            }
        }
        if (ring == null) {
            throw Nodes.error(source, value, what + " needs a ring, as in {ring: 1, maxMinutes: 15}");
        }
        return new ElevationLimit(ring, minutes);
    }

    private void readLimits(Node value, Policy.Builder policy) {
        if (Nodes.isNull(value)) {
            return;
        }
        MappingNode map = mapping(value, "limits must be a mapping with the keys " + String.join(", ", LIMITS_KEYS));
        for (MappingEntries.Entry e : entries(map, "key", "under limits", LIMITS_KEYS)) {
            switch (e.key()) {
                case "rings" -> readRingLimits(e.value(), policy);
                case "session" -> policy.sessionLimit(limit(e.value(), "limits.session"));
                default -> throw new IllegalStateException("key not in LIMITS_KEYS: " + e.key());
            }
        }
    }

    private void readRingLimits(Node value, Policy.Builder policy) {
        if (Nodes.isNull(value)) {
            return;
        }
        MappingNode map = mapping(value, "limits.rings must be a mapping from ring to " + LIMIT_FORM);
        for (MappingEntries.Entry e : entries(map, "ring", "under limits.rings", ANY_KEY)) {
            int ring = ring(e.keyNode(), "a ring under limits.rings");
            policy.ringLimit(ring, limit(e.value(), "limits.rings." + ring));
        }
    }

    private RateLimit limit(Node value, String what) {
        MappingNode map = mapping(value, what + " must be " + LIMIT_FORM);
        Double perSecond = null;
        Integer burst = null;
        for (MappingEntries.Entry e : entries(map, "key", "in " + what, LIMIT_KEYS)) {
            if (e.key().equals("perSecond")) {
                java.util.OptionalDouble n = Nodes.numberValue(e.value());
                if (n.isEmpty() || !(n.getAsDouble() > 0) || n.getAsDouble() > 1e9) {
                    throw Nodes.error(source, e.value(), what + ".perSecond must be a number more than 0 (at most "
                            + "1000000000), got " + Nodes.describe(e.value()));
                }
                perSecond = n.getAsDouble();
            } else {
                OptionalInt n = Nodes.intValue(e.value());
                if (n.isEmpty() || n.getAsInt() < 1) {
                    throw Nodes.error(source, e.value(), what + ".burst must be an integer of at least 1, got "
                            + Nodes.describe(e.value()));
                }
                burst = n.getAsInt();
            }
        }
        if (perSecond == null || burst == null) {
            throw Nodes.error(source, value, what + " needs both perSecond and burst, as in " + LIMIT_FORM);
        }
        return new RateLimit(perSecond, burst);
    }

    private int ring(Node value, String what) {
        return ring(value, what, RING_RANGE);
    }

    private int ring(Node value, String what, String range) {
        OptionalInt ring = Nodes.intValue(value);
        if (ring.isEmpty() || !Policy.isRing(ring.getAsInt())) {
            throw Nodes.error(source, value, what + " must be " + range + ", got " + Nodes.describe(value));
        }
        return ring.getAsInt();
    }

    private MappingNode mapping(Node value, String expectation) {
        return Nodes.mapping(source, value, expectation);
    }

    private List<MappingEntries.Entry> entries(MappingNode map, String noun, String place, List<String> allowed) {
        return MappingEntries.read(source, map, noun, place, allowed);
    }
}
