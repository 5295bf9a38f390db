package dev.agentmesh.agent.policy;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Reads and describes YAML nodes for the policy reader and its error messages. */
final class Nodes {

    // Names in messages are cut short so one odd key cannot flood a log line.
    private static final int MAX_SHOWN = 64;
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?");

    private Nodes() {
    }

    /** @return the 1-based line a SnakeYAML mark points at, or 0 without a mark */
    static int line(Optional<Mark> mark) {
        return mark.map(m -> m.getLine() + 1).orElse(0);
    }

    /** @return the 1-based line the node starts on, or 0 if unknown */
    static int line(Node node) {
        return line(node.getStartMark());
    }

    static PolicyException error(String source, Node node, String problem) {
        return new PolicyException(source, line(node), problem);
    }

    /** @return whether the node is YAML null: empty, {@code ~} or {@code null} */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /**
     * @return the value of a decimal integer scalar that fits an int; empty for anything else, including
     *         quoted numbers, {@code 0x3} and numbers too large for an int
     */
    /**
     * @return the integer {@code value} holds
     * @throws PolicyException naming the line if it holds none, or one outside {@code min..max}
     */
    static int integer(String source, Node value, String what, int min, int max, String range) {
        OptionalInt n = intValue(value);
        if (n.isEmpty() || n.getAsInt() < min || n.getAsInt() > max) {
            throw error(source, value, what + " must be " + range + ", got " + describe(value));
        }
        return n.getAsInt();
    }

    static OptionalInt intValue(Node node) {
        if (!(node instanceof ScalarNode) || !Tag.INT.equals(node.getTag())) {
            return OptionalInt.empty();
        }
        String text = ((ScalarNode) node).getValue();
        if (!DECIMAL.matcher(text).matches()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException tooLarge) {
            return OptionalInt.empty();
        }
    }

    /** @return the value of an unquoted {@code true} or {@code false}; empty for anything else, quoted ones too */
    static Optional<Boolean> booleanValue(Node node) {
        if (!(node instanceof ScalarNode) || !Tag.BOOL.equals(node.getTag())) {
            return Optional.empty();
        }
        return Optional.of(Boolean.parseBoolean(((ScalarNode) node).getValue().toLowerCase(Locale.ROOT)));
    }

    /**
     * @return the value of an unquoted integer or decimal scalar ({@code 5}, {@code 0.5}); empty for anything else,
     *         including quoted numbers, {@code .inf} and {@code .nan}
     */
    static java.util.OptionalDouble numberValue(Node node) {
        if (!(node instanceof ScalarNode) || !(Tag.INT.equals(node.getTag()) || Tag.FLOAT.equals(node.getTag()))) {
            return java.util.OptionalDouble.empty();
        }
        String text = ((ScalarNode) node).getValue();
        if (!DECIMAL_NUMBER.matcher(text).matches()) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(Double.parseDouble(text));
    }

    /**
     * @param source the file, for errors
     * @param value a node that must be a mapping
     * @param expectation what the message says it must be
     * @return it, as a mapping
     * @throws PolicyException naming its line if it is not one
     */
    static MappingNode mapping(String source, Node value, String expectation) {
        if (!(value instanceof MappingNode)) {
            throw error(source, value, expectation + ", got " + describe(value));
        }
        return (MappingNode) value;
    }

    /** @return the text of a non-null scalar, as written; {@code null} for null and collections */
    static String text(Node node) {
        if (!(node instanceof ScalarNode) || isNull(node)) {
            return null;
        }
        return ((ScalarNode) node).getValue();
    }

    /** @return how a value looks, for "got ..." in messages: {@code 5}, {@code "2"}, {@code a list} */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (!(node instanceof ScalarNode)) {
            return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.getValue().isEmpty() && isNull(scalar)) {
            return "nothing";
        }
        // Keep quotes the user wrote so that "2" (a string) is told apart from 2.
        return scalar.getScalarStyle() == ScalarStyle.PLAIN ? shown(scalar.getValue())
                : '"' + shown(scalar.getValue()) + '"';
    }

    /** @return the text in single quotes, escaped and shortened to sit safely inside a one-line message */
    static String quote(String text) {
        return "'" + shown(text) + "'";
    }

    private static String shown(String text) {
        StringBuilder sb = new StringBuilder();
        int end = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (end < text.length()) {
            sb.append("...");
        }
        return sb.toString();
    }
}
