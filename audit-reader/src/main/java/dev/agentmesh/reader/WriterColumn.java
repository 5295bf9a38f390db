package dev.agentmesh.reader;

/**
 * A {@link RecordFormat} for records of many writers (a fleet's Kafka topic): each line of the format it wraps, with
 * the writer id first. JSON Lines get a {@code "writer"} member ahead of the others, CSV a {@code writer} column,
 * text a leading column, its control characters escaped as in {@link TextFormat#safe}. {@link #writer} names the
 * writer of the record printed next.
 */
final class WriterColumn implements RecordFormat {

    private final RecordFormat inner;
    private final ExportFormat kind;
    private final LineBuffer line = new LineBuffer();
    private String writer = "";

    /**
     * @param inner the format of one writer's records
     * @param kind which it is, for where the writer goes
     */
    WriterColumn(RecordFormat inner, ExportFormat kind) {
        this.inner = inner;
        this.kind = kind;
    }

    /** @param id the writer of the records printed from now on */
    void writer(String id) {
        this.writer = id;
    }

    @Override
    public String header() {
        String header = inner.header();
        return kind == ExportFormat.CSV && !header.isEmpty() ? "writer," + header : header;
    }

    @Override
    public void append(VerifiedRecord record, LineBuffer out) {
        line.clear();
        inner.append(record, line);
        int from = 0;
        switch (kind) {
            case JSONL -> {
                out.append("{\"writer\":");
                Json.quote(writer, out);
                out.append(',');
                from = 1; // the inner object's own '{'
            }
            case CSV -> {
                new Csv(out).field(writer);
                out.append(',');
            }
            // A key is whatever bytes a producer sent: escaped as agent ids are, so it cannot start a line of its own.
            case TEXT -> out.append(TextFormat.safe(writer)).append("  ");
        }
        for (int i = from; i < line.length(); i++) {
            out.append(line.charAt(i));
        }
    }
}
