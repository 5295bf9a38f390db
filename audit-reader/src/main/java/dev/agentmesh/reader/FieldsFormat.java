package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import java.util.List;

/**
 * JSON Lines or CSV restricted to the fields {@code --fields} names, in that order. In JSON a field the record's
 * type lacks is left out; in CSV its column is empty, so the header stays the same for every record.
 */
final class FieldsFormat implements RecordFormat {

    private final boolean csv;
    private final List<RecordField> fields;

    FieldsFormat(boolean csv, List<RecordField> fields) {
        this.csv = csv;
        this.fields = List.copyOf(fields);
    }

    @Override
    public String header() {
        if (!csv) {
            return "";
        }
        Csv header = new Csv();
        fields.forEach(f -> header.field(f.jsonName()));
        return header.end();
    }

    @Override
    public void append(VerifiedRecord record, LineBuffer out) {
        AuditRecord r = record.record();
        byte[] chainHash = record.chainHash();
        if (csv) {
            Csv row = new Csv(out);
            for (RecordField f : fields) {
                Object v = f.valueOf(r, chainHash);
                row.field(v == null ? "" : v.toString());
            }
            row.close();
            return;
        }
        Json json = new Json(out);
        for (RecordField f : fields) {
            Object v = f.valueOf(r, chainHash);
            if (v instanceof Long) {
                json.number(f.jsonName(), (Long) v);
            } else if (v != null) {
                json.string(f.jsonName(), (String) v);
            }
        }
        json.close();
        out.append('\n');
    }
}
