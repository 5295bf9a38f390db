package dev.agentmesh.reader;

/** Turns verified records into export text, one line (or CSV row) each. Stateless: one instance serves any run. */
interface RecordFormat {

    /** @return text to write before the first record, such as a CSV header; empty if none */
    String header();

    /**
     * @param record a verified record
     * @param out receives the record's line, with its line terminator
     */
    void append(VerifiedRecord record, LineBuffer out);
}
