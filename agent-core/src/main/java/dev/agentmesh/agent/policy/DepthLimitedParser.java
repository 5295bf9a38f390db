package dev.agentmesh.agent.policy;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Hands a parser's events to SnakeYAML's composer, refusing a document nested deeper than {@link #MAX_DEPTH}. The
 * composer builds nodes by recursion, one frame per level, so {@code [[[[…} a hundred thousand deep overflows the
 * stack; SnakeYAML Engine, unlike SnakeYAML, has no setting for it. A policy is a few levels deep.
 */
final class DepthLimitedParser implements Parser {

    /** Far deeper than any policy; far shallower than the stack. */
    static final int MAX_DEPTH = 64;

    private final Parser parser;
    private final String source;
    private int depth;

    DepthLimitedParser(Parser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event event = parser.next();
        switch (event.getEventId()) {
            case SequenceStart, MappingStart -> {
                if (++depth > MAX_DEPTH) {
                    throw new PolicyException(source, Nodes.line(event.getStartMark()),
                            "invalid YAML: nested more than " + MAX_DEPTH + " levels deep");
                }
            }
            case SequenceEnd, MappingEnd -> depth--;
            default -> {
            }
        }
        return event;
    }
}
