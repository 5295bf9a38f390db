package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.RecordType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code filter <dir> [criteria] [--format jsonl|csv|text]}: writes the records that match to stdout, in trail
 * order, in the same lines {@code export} writes. {@link RecordFilter} says which records match.
 *
 * <p>The whole chain is verified as it streams, matching or not, so nothing unverified is ever printed: at a break
 * it stops, as {@code export} does. An outcome shows when the ALLOW it closes matched; the command remembers up to
 * {@link #MAX_OPEN_CALLS} matching calls that have not ended yet. With {@code --session} and no agent, principal,
 * framework, tool, saga, method or ring criteria, an outcome also shows on its own session id and time, which it
 * carries (see {@link RecordFilter#selectsOutcome}).
 */
@Command(name = "filter", mixinStandardHelpOptions = true, sortOptions = false, sortSynopsis = false,
        description = {"Write the records that match to stdout, verifying the whole chain as it goes; stop at a "
                + "break.",
            "Several values of one option match any of them; different options must all match. RETURNED and THREW "
                + "records show when the ALLOW they close shows, and, with --session but no --agent, --on-behalf-of, "
                + "--framework, --tool, --saga, --method or --ring, when they are in that session."})
public final class FilterCommand implements Callable<Integer> {

    /**
     * How many matching calls still waiting for their outcome are remembered. A call normally ends soon after it
     * starts, so this bounds only calls in flight at once and calls whose JVM died mid-call. Past it, the oldest
     * is forgotten and its outcome, should one still come, is not shown.
     */
    static final int MAX_OPEN_CALLS = 100_000;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The audit directory (the Chronicle queue).")
    private Path dir;

    @Option(names = "--agent", paramLabel = "<id>",
            description = "Calls by this agent, SESSION and SAGA records that name it, and CONTROL records of "
                    + "agent:<id> or all.")
    private List<String> agents = new ArrayList<>();

    @Option(names = "--on-behalf-of", paramLabel = "<id>",
            description = "Calls made on behalf of this agent: it is a link of the call's delegation chain "
                    + "(onBehalfOf), directly or further up.")
    private List<String> principals = new ArrayList<>();

    @Option(names = "--framework", paramLabel = "<name>",
            description = "Calls of tools of this agent framework: langchain4j, spring-ai or mcp, as recorded; '' for "
                    + "plain @Ring calls.")
    private List<String> frameworks = new ArrayList<>();

    @Option(names = "--tool", paramLabel = "<name>",
            description = "Calls of the framework tool of this name, as web_search, in any framework; '' for plain "
                    + "@Ring calls.")
    private List<String> tools = new ArrayList<>();

    @Option(names = "--session", paramLabel = "<id>",
            description = "Calls in this session, their outcomes, its SESSION and SAGA records, and CONTROL "
                    + "records of session:<id> or all; '' for calls and sagas outside any session.")
    private List<String> sessions = new ArrayList<>();

    @Option(names = "--saga", paramLabel = "<id>",
            description = "The SAGA records of this saga (its timeline: 'saga <dir> <id>').")
    private List<String> sagas = new ArrayList<>();

    @Option(names = "--method", paramLabel = "<pattern>", converter = MethodConverter.class,
            description = "Calls of this method: name, Class#name (binary or simple class name), or a glob where * "
                    + "stands for any characters, as com.acme.*#write*.")
    private List<String> methods = new ArrayList<>();

    @Option(names = "--decision", paramLabel = "<decision>", split = ",", converter = DecisionConverter.class,
            description = "ALLOW or DENY records, in any case; RETURNED or THREW for outcomes only; SESSION for "
                    + "session records; SAGA for saga records; CONTROL for kill-switch records.")
    private List<RecordType> decisions = new ArrayList<>();

    @Option(names = "--ring", paramLabel = "<ring>", split = ",", converter = RingConverter.class,
            description = "Calls by an agent holding this ring, 0..3, and SESSION records that name such an agent.")
    private List<Integer> rings = new ArrayList<>();

    @Option(names = "--since", paramLabel = "<time>", converter = TimeConverter.class,
            description = "Records at or after this time (inclusive): ISO-8601, as 2026-11-24T05:00:00Z, or epoch "
                    + "milliseconds.")
    private Long since;

    @Option(names = "--until", paramLabel = "<time>", converter = TimeConverter.class,
            description = "Records before this time (exclusive), in the same forms.")
    private Long until;

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "jsonl",
            description = "jsonl, csv or text, the same lines as export. Default: jsonl.")
    private ExportFormat format;

    @Override
    public Integer call() throws ChainBreak, IOException {
        RecordFilter filter = filter();
        PrintWriter out = spec.commandLine().getOut();
        RecordFormat recordFormat = format.format();
        OpenCalls open = new OpenCalls(MAX_OPEN_CALLS);
        RecordPrinter printer = new RecordPrinter(out, recordFormat);
        Trail.verify(dir, record -> {
            printer.start();
            if (selects(filter, open, record.record())) {
                printer.print(record);
            }
        });
        printer.finish();
        return ExitCodes.OK;
    }

    private static boolean selects(RecordFilter filter, OpenCalls open, AuditRecord record) {
        if (record.type().isOutcome()) {
            // Every outcome ends its call, shown or not, so the set only ever holds calls still running.
            return filter.selectsOutcome(record, open.close(record.callSeq()));
        }
        if (filter.followsCall(record)) {
            open.open(record.seq());
        }
        return filter.selects(record);
    }

    private RecordFilter filter() {
        RecordFilter.Builder b = RecordFilter.builder();
        agents.forEach(b::agent);
        principals.forEach(b::onBehalfOf);
        frameworks.forEach(b::framework);
        tools.forEach(b::tool);
        sessions.forEach(b::session);
        sagas.forEach(b::saga);
        methods.forEach(b::method);
        decisions.forEach(b::decision);
        rings.forEach(b::ring);
        if (since != null) {
            b.since(since);
        }
        if (until != null) {
            b.until(until);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // A usage error like any other bad option: one line and exit 4, through the parameter handler.
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * The seqs of matching ALLOWs whose outcome has not come yet, oldest first, at most {@code capacity} of them.
     */
    static final class OpenCalls {
        private final Set<Long> seqs;

        OpenCalls(int capacity) {
            // Insertion order is trail order, so the eldest entry is the oldest call: the likeliest never to end.
            seqs = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > capacity;
                }
            });
        }

        void open(long seq) {
            seqs.add(seq);
        }

        /** @return whether {@code callSeq} was open here, and so matched; it is open no longer */
        boolean close(long callSeq) {
            return seqs.remove(callSeq);
        }

        int size() {
            return seqs.size();
        }
    }

    /** Turns a parser's {@link IllegalArgumentException} into picocli's, so the message names the option. */
    private static <T> T converted(String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static final class MethodConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            // Checked here so a bad pattern is reported against --method; the builder compiles it again.
            return converted(value, v -> {
                RecordFilter.MethodPattern.of(v);
                return v;
            });
        }
    }

    static final class DecisionConverter implements ITypeConverter<RecordType> {
        @Override
        public RecordType convert(String value) {
            return converted(value, RecordFilter::decision);
        }
    }

    static final class RingConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return converted(value, RecordFilter::ring);
        }
    }

    static final class TimeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return converted(value, RecordFilter::time);
        }
    }
}
