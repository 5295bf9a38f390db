package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code saga <dir> [<sagaId>] [--format text|jsonl]}: one saga's timeline, from its SAGA records, or with no id a
 * list of every saga in the trail and how each ended. Like {@code report}, it verifies the whole chain as it reads
 * ({@link Trail#verify}) and prints only once the chain has verified to the end: at a break nothing is printed, the
 * {@code TAMPERED} line goes to stderr and the exit code is 1. An id the verified trail does not hold is a one-line
 * error on stderr, exit 4.
 */
@Command(name = "saga", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify the whole chain, then print one saga's timeline: every step, attempt, failure and "
                + "compensation, and how it ended; with no id, list every saga in the trail.",
            "At a break nothing is printed: the TAMPERED line goes to stderr and the exit code is 1. An id the trail "
                + "does not hold exits 4."})
public final class SagaCommand implements Callable<Integer> {

    private static final String NL = System.lineSeparator();

    /** The formats {@code saga --format} accepts. */
    enum Format {
        /** For a person at a terminal: aligned lines, not for parsing. */
        TEXT,
        /** JSON Lines: one object per saga; the timeline's object holds its events. */
        JSONL
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "The audit directory (the Chronicle queue).")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<sagaId>",
            description = "The saga to show, as trip-5f0c2a9e1b3d; without it, every saga is listed.")
    private String sagaId;

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "text",
            description = "text (for a person) or jsonl (one JSON object per saga). Default: text.")
    private Format format;

    @Override
    public Integer call() throws ChainBreak, IOException, Verdict {
        Map<String, SagaLog> sagas = new LinkedHashMap<>();
        // Printed only once the chain has verified to the end: the end state needs the whole trail anyway.
        Trail.Summary summary = Trail.verify(dir, record -> {
            if (record.type() != RecordType.SAGA_EVENT) {
                return;
            }
            AuditRecord r = record.record();
            if (sagaId == null) {
                sagas.computeIfAbsent(r.sagaId(), id -> new SagaLog(id, false)).add(r);
            } else if (sagaId.equals(r.sagaId())) {
                sagas.computeIfAbsent(r.sagaId(), id -> new SagaLog(id, true)).add(r);
            }
        });
        String text;
        if (sagaId == null) {
            text = format == Format.JSONL ? jsonList(sagas.values()) : textList(dir, sagas.values(), summary);
        } else {
            SagaLog saga = sagas.get(sagaId);
            if (saga == null) {
                throw new Verdict(ExitCodes.UNREADABLE, "no saga '" + TextFormat.safe(sagaId) + "' in " + dir + " ("
                        + summary.count() + " records verified): 'saga " + dir + "' lists the sagas it holds");
            }
            text = format == Format.JSONL ? json(saga, true) + "\n" : timeline(saga, summary);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        if (out.checkError()) {
            throw new IOException("could not write the saga to standard output");
        }
        return ExitCodes.OK;
    }

    /** @return the text timeline of one saga: who and when, one line per record, how it ended */
    static String timeline(SagaLog saga, Trail.Summary summary) {
        StringBuilder out = new StringBuilder("Saga ").append(TextFormat.safe(saga.id())).append(NL);
        TextTable head = new TextTable("", "").alignLeft(1);
        head.row("name", orDash(saga.name()));
        head.row("session", orDash(saga.sessionId()));
        head.row("agent", orDash(saga.agentId()));
        head.row("started", IsoTime.of(saga.startMillis()) + " (seq " + saga.startSeq() + ")");
        head.row("verified", summary.count() + " records, hash chain intact");
        head.render(out, false);

        out.append(NL).append("Timeline").append(NL);
        TextTable events = new TextTable("OFFSET", "STEP", "ATTEMPT", "EVENT", "DURATION", "DETAIL")
                .alignLeft(1, 3, 5);
        for (AuditRecord r : saga.records()) {
            long offset = r.timeMillis() - saga.startMillis();
            events.row((offset < 0 ? "" : "+") + elapsed(offset), TextFormat.safe(r.step()),
                    r.attempt() > 0 ? Integer.toString(r.attempt()) : "", SagaLog.what(r),
                    r.durationNanos() != -1 ? TextFormat.millis(r) : "", TextFormat.safe(detail(r)));
        }
        events.render(out, true);

        out.append(NL).append("End").append(NL);
        TextTable end = new TextTable("", "").alignLeft(1);
        if (saga.ended()) {
            end.row("state", saga.state() + " at " + IsoTime.of(saga.endMillis()));
            end.row("duration", elapsed(saga.durationMillis()));
        } else {
            end.row("state", saga.stateText() + ": no end event on the trail; a restart of the application will "
                    + "recover it");
            end.row("duration", elapsed(saga.durationMillis()) + " so far, to its last record at "
                    + IsoTime.of(saga.endMillis()));
        }
        end.render(out, false);
        return out.toString();
    }

    /** @return the text list of every saga, in the order they first appear */
    static String textList(Path dir, Collection<SagaLog> sagas, Trail.Summary summary) {
        StringBuilder out = new StringBuilder();
        out.append("Sagas in ").append(TextFormat.safe(dir.toString())).append(" (").append(sagas.size())
                .append("; ").append(summary.count()).append(" records verified, hash chain intact)").append(NL);
        if (sagas.isEmpty()) {
            return out.toString();
        }
        TextTable table = new TextTable("SAGA", "NAME", "SESSION", "STATE", "STEPS", "STARTED").alignLeft(1, 2, 3, 5);
        long unfinished = 0;
        for (SagaLog saga : sagas) {
            table.row(TextFormat.safe(saga.id()), orDash(saga.name()), orDash(saga.sessionId()), saga.stateText(),
                    Integer.toString(saga.steps()), IsoTime.of(saga.startMillis()));
            unfinished += saga.ended() ? 0 : 1;
        }
        table.render(out, true);
        if (unfinished > 0) {
            out.append(NL).append(unfinished).append(unfinished == 1 ? " saga has" : " sagas have")
                    .append(" no end event: a restart of the application will recover ")
                    .append(unfinished == 1 ? "it" : "them").append('.').append(NL);
        }
        return out.toString();
    }

    /** @return one JSON object per saga, each on its own line */
    static String jsonList(Collection<SagaLog> sagas) {
        StringBuilder out = new StringBuilder();
        for (SagaLog saga : sagas) {
            out.append(json(saga, false)).append('\n');
        }
        return out.toString();
    }

    /**
     * @param saga a saga
     * @param withEvents whether to add its records, as the {@code events} array
     * @return one JSON object, without a line terminator
     */
    static String json(SagaLog saga, boolean withEvents) {
        Json json = new Json().string("sagaId", saga.id()).string("name", saga.name())
                .string("sessionId", saga.sessionId()).string("agentId", saga.agentId())
                .time("start", saga.startMillis()).number("startMillis", saga.startMillis())
                .string("state", saga.state()).bool("ended", saga.ended())
                .number("durationMillis", saga.durationMillis()).number("steps", saga.steps())
                .number("records", saga.count());
        if (withEvents) {
            List<String> events = new ArrayList<>();
            for (AuditRecord r : saga.records()) {
                events.add(event(r, saga.startMillis()));
            }
            json.array("events", events);
        }
        return json.end();
    }

    private static String event(AuditRecord r, long startMillis) {
        Json json = new Json().number("seq", r.seq()).time("time", r.timeMillis())
                .number("offsetMillis", r.timeMillis() - startMillis).string("event", r.sagaEvent().label());
        if (!r.step().isEmpty()) {
            json.string("step", r.step());
        }
        if (r.attempt() > 0) {
            json.number("attempt", r.attempt());
        }
        json.string("what", SagaLog.what(r));
        if (r.durationNanos() != -1) {
            json.number("durationNanos", r.durationNanos());
        }
        if (r.sagaEvent() == SagaEvent.STEP_STARTED) {
            json.string("idempotencyKey", SagaLog.idempotencyKey(r)).string("flags", SagaLog.flags(r));
        }
        return json.string("detail", r.detail()).string("data", r.data()).end();
    }

    /** @return the timeline's detail: the idempotency key and flags of a started step, else the record's detail */
    private static String detail(AuditRecord r) {
        if (r.sagaEvent() != SagaEvent.STEP_STARTED) {
            return r.detail();
        }
        String key = SagaLog.idempotencyKey(r);
        String flags = SagaLog.flags(r);
        StringBuilder out = new StringBuilder();
        if (!key.isEmpty()) {
            out.append("key ").append(key);
        }
        if (!flags.isEmpty()) {
            out.append(out.length() > 0 ? ", " : "").append("flags ").append(flags);
        }
        if (!r.detail().isEmpty()) {
            out.append(out.length() > 0 ? "; " : "").append(r.detail());
        }
        return out.toString();
    }

    private static String orDash(String value) {
        return value.isEmpty() ? "-" : TextFormat.safe(value);
    }

    /**
     * @param millis a span of time
     * @return it as {@code 9.000s}, {@code 1m05.000s}, {@code 2h03m05.000s} or {@code 1d02h03m05.000s}
     */
    static String elapsed(long millis) {
        // A forged time could make the span overflow; it is shown as the longest there is, not as garbage.
        long m = millis == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(millis);
        String sign = millis < 0 ? "-" : "";
        long days = m / 86_400_000L;
        long hours = m / 3_600_000L % 24;
        long minutes = m / 60_000L % 60;
        long seconds = m / 1000 % 60;
        long ms = m % 1000;
        if (days > 0) {
            return String.format(Locale.ROOT, "%s%dd%02dh%02dm%02d.%03ds", sign, days, hours, minutes, seconds, ms);
        }
        if (hours > 0) {
            return String.format(Locale.ROOT, "%s%dh%02dm%02d.%03ds", sign, hours, minutes, seconds, ms);
        }
        if (minutes > 0) {
            return String.format(Locale.ROOT, "%s%dm%02d.%03ds", sign, minutes, seconds, ms);
        }
        return String.format(Locale.ROOT, "%s%d.%03ds", sign, seconds, ms);
    }
}
