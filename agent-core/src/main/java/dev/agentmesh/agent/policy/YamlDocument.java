package dev.agentmesh.agent.policy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Composes the bytes of a policy file into the node tree of its single YAML document. Nodes, not Java
 * objects, because nodes keep the line each value came from, and because SnakeYAML's constructor would
 * silently keep the last of two duplicate keys.
 */
final class YamlDocument {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private YamlDocument() {
    }

    /**
     * @param source names the file in messages
     * @param bytes  the file, UTF-8
     * @return the root node of the file's one document, never YAML null
     * @throws PolicyException if the bytes are not UTF-8, not YAML, empty, or hold more than one document
     */
    static Node compose(String source, byte[] bytes) {
        String text = decode(source, bytes);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                // YAML 1.2 core schema: ~ and null are null, as people expect from YAML files.
                .setSchema(new CoreSchema())
                // Let complex keys through so the policy reader can reject them with a line number.
                .setAllowNonScalarKeys(true)
                .build();
        try {
            // Compose with our own parser, rather than through Compose, to see where a second document starts.
            ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
            Composer composer = new Composer(settings, new DepthLimitedParser(parser, source));
            Node root = composer.hasNext() ? composer.next() : null;
            if (root == null || Nodes.isNull(root)) {
                throw new PolicyException(source, 0,
                        "policy file is empty; expected a mapping with the keys version, defaults, agents");
            }
            if (parser.checkEvent(Event.ID.DocumentStart)) {
                throw new PolicyException(source, Nodes.line(parser.peekEvent().getStartMark()),
                        "policy file must hold one YAML document, but a second one starts here");
            }
            return root;
        } catch (MarkedYamlEngineException e) {
            int line = Nodes.line(e.getProblemMark().or(e::getContextMark));
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : " (" + e.getContext() + ")";
            throw new PolicyException(source, line, "invalid YAML: " + e.getProblem() + context, e);
        } catch (ReaderException e) {
            throw new PolicyException(source, lineAtCodePoint(text, e.getPosition()),
                    String.format("invalid YAML: %s (U+%04X)", e.getMessage(), e.getCodePoint()), e);
        } catch (YamlEngineException e) {
            // Limits such as the alias count carry no mark.
            throw new PolicyException(source, 0, "invalid YAML: " + e.getMessage(), e);
        }
    }

    private static String decode(String source, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            // The decoder stops with the input positioned at the first bad byte.
            String before = new String(bytes, 0, in.position(), StandardCharsets.UTF_8);
            throw new PolicyException(source, lineAt(before, before.length()), String.format(
                    "policy file is not valid UTF-8: bad byte 0x%02X", bytes[in.position()] & 0xFF));
        }
        decoder.flush(out);
        String text = out.flip().toString();
        // Editors on Windows may start UTF-8 files with a byte order mark; it is not content.
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    private static int lineAtCodePoint(String text, int codePoint) {
        int clamped = Math.min(Math.max(codePoint, 0), text.codePointCount(0, text.length()));
        int end = text.offsetByCodePoints(0, clamped);
        return lineAt(text, end);
    }

    /** @return the 1-based line of {@code text.charAt(end)}, counting line breaks as YAML does */
    private static int lineAt(String text, int end) {
        int line = 1;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
            }
        }
        return line;
    }
}
