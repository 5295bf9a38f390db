package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export <dir> --format jsonl|csv|text [--fields f,f]}: writes every record to stdout in trail order, verifying as it goes.
 * At a break it stops after the last good record, so nothing unverified is ever exported.
 *
 * <p>{@code export --kafka <bootstrap> [--topic T]}: the same for every trail on a fleet's Kafka topic, each record
 * verified on its own writer's chain and led by its writer id ({@link WriterColumn}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write every record to stdout, verifying the chain as it goes; stop at a break. With --kafka, "
                + "every trail on a fleet's topic, each record led by its writer id.")
public final class ExportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", arity = "0..1",
            description = "The audit directory (the Chronicle queue); not with --kafka.")
    private Path dir;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "jsonl",
            description = "jsonl (one JSON object per line), csv (RFC 4180, with a header) or text (aligned lines "
                    + "for a person to read). Default: jsonl.")
    private ExportFormat format;

    @Option(names = "--fields", paramLabel = "<f,f,...>",
            description = "Only these fields, in this order (jsonl or csv), e.g. seq,agentId,decision,hash.")
    private String fields;

    @Override
    public Integer call() throws ChainBreak, IOException, Verdict {
        PrintWriter out = spec.commandLine().getOut();
        RecordFormat recordFormat = format.format();
        if (fields != null) {
            if (format == ExportFormat.TEXT) {
                throw new Verdict(ExitCodes.UNREADABLE, "--fields applies to --format jsonl or csv, not text");
            }
            try {
                recordFormat = new FieldsFormat(format == ExportFormat.CSV, RecordField.parse(fields));
            } catch (IllegalArgumentException e) {
                throw new Verdict(ExitCodes.UNREADABLE, "--fields: " + e.getMessage());
            }
        }
        if (kafka.given() == (dir != null)) {
            throw new ParameterException(spec.commandLine(), kafka.given()
                    ? "export takes an audit directory or --kafka, not both"
                    : "Missing required parameter: '<dir>' (or --kafka <bootstrap>)");
        }
        if (kafka.given()) {
            WriterColumn byWriter = new WriterColumn(recordFormat, format);
            RecordPrinter printer = new RecordPrinter(out, byWriter);
            try {
                TopicTrails.verify(kafka.source(), id -> null, (writer, record) -> {
                    byWriter.writer(writer);
                    printer.print(record);
                });
            } finally {
                out.flush(); // what verified is out before the verdict on stderr
            }
            printer.finish();
            return ExitCodes.OK;
        }
        RecordPrinter printer = new RecordPrinter(out, recordFormat);
        Trail.verify(dir, printer::print);
        printer.finish();
        return ExitCodes.OK;
    }
}
