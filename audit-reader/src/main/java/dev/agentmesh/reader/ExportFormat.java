package dev.agentmesh.reader;

/** The formats {@code export --format} accepts; the command line takes them in any case. */
public enum ExportFormat {

    /** One JSON object per line. */
    JSONL(new JsonlFormat()),
    /** RFC 4180 CSV with a header row. */
    CSV(new CsvFormat()),
    /** Aligned lines for a person at a terminal; not for parsing. */
    TEXT(new TextFormat());

    private final RecordFormat format;

    ExportFormat(RecordFormat format) {
        this.format = format;
    }

    RecordFormat format() {
        return format;
    }
}
