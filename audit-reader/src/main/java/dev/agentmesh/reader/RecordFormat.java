package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;

/** Turns verified records into export text, one line (or CSV row) each. */
interface RecordFormat {

    /** @return text to write before the first record, such as a CSV header; empty if none */
    String header();

    /**
     * @param record a verified record
     * @param chainHash its stored chain hash
     * @return the record's line, with its line terminator
     */
    String line(AuditRecord record, byte[] chainHash);
}
