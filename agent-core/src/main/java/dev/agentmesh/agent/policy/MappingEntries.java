package dev.agentmesh.agent.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads the entries of one YAML mapping, checking what SnakeYAML's composer lets through: every key is a
 * non-blank scalar, no key appears twice, and, where the keys are fixed, each key is one of them.
 */
final class MappingEntries {

    /** One key and its value, with the key's node kept for its line. */
    record Entry(String key, Node keyNode, Node value) {
    }

    private MappingEntries() {
    }

    /**
     * A section of keys: a mapping whose keys are all of {@code allowed}.
     *
     * @param source the file, for errors
     * @param value the section's value
     * @param what the section's name in messages, such as {@code fleet.kafka}
     * @param allowed the keys allowed
     * @return the entries in file order
     * @throws PolicyException if the value is not a mapping, or at the first key that breaks a rule
     */
    static List<Entry> section(String source, Node value, String what, List<String> allowed) {
        return read(source, Nodes.mapping(source, value, what + " must be a mapping with the keys "
                + String.join(", ", allowed)), "key", "in " + what, allowed);
    }

    /**
     * @param source  the file, for errors
     * @param map     the mapping to read
     * @param noun    what a key is called in messages, such as {@code key} or {@code agent id}
     * @param place   where the mapping sits, for messages, such as {@code under defaults}
     * @param allowed the keys allowed, in the order messages list them; empty to allow any key
     * @return the entries in file order
     * @throws PolicyException at the first key that breaks a rule
     */
    static List<Entry> read(String source, MappingNode map, String noun, String place, List<String> allowed) {
        List<Entry> entries = new ArrayList<>(map.getValue().size());
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                throw Nodes.error(source, keyNode,
                        noun + " " + place + " must be a plain string, got " + Nodes.describe(keyNode));
            }
            String key = Nodes.text(keyNode);
            if (key == null || key.isBlank()) {
                throw Nodes.error(source, keyNode, noun + " " + place + " must not be blank");
            }
            Node first = seen.putIfAbsent(key, keyNode);
            if (first != null) {
                throw Nodes.error(source, keyNode, "duplicate " + noun + " " + Nodes.quote(key) + " " + place
                        + "; first defined at line " + Nodes.line(first));
            }
            if (!allowed.isEmpty() && !allowed.contains(key)) {
                throw Nodes.error(source, keyNode, "unknown " + noun + " " + Nodes.quote(key) + " " + place
                        + "; allowed keys: " + String.join(", ", allowed));
            }
            entries.add(new Entry(key, keyNode, tuple.getValueNode()));
        }
        return entries;
    }
}
