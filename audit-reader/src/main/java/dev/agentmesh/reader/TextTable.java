package dev.agentmesh.reader;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns padded to their widest cell, each line indented by two spaces, for the reports and timelines a person
 * reads: the first column left-aligned, the rest right-aligned unless {@linkplain #alignLeft named}. Trailing
 * spaces are dropped. Cells are shown as given: callers escape text from the trail ({@link TextFormat#safe}).
 */
final class TextTable {

    private final String[] header;
    private final boolean[] left;
    private final List<String[]> rows = new ArrayList<>();

    /** @param header the column headings, also when they are not shown */
    TextTable(String... header) {
        this.header = header;
        this.left = new boolean[header.length];
        left[0] = true;
    }

    /**
     * @param columns indexes of columns to align left, as the first one is
     * @return this
     */
    TextTable alignLeft(int... columns) {
        for (int c : columns) {
            left[c] = true;
        }
        return this;
    }

    /** @param cells one cell per column */
    void row(String... cells) {
        rows.add(cells);
    }

    /**
     * @param out where to append the lines, each ended by the line separator
     * @param withHeader whether to start with the headings
     */
    void render(StringBuilder out, boolean withHeader) {
        int[] widths = new int[header.length];
        List<String[]> all = new ArrayList<>();
        if (withHeader) {
            all.add(header);
        }
        all.addAll(rows);
        for (String[] row : all) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], width(row[c]));
            }
        }
        for (String[] row : all) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < row.length; c++) {
                String pad = " ".repeat(widths[c] - width(row[c]));
                if (c > 0) {
                    line.append("  ");
                }
                if (left[c]) {
                    line.append(row[c]).append(pad);
                } else {
                    line.append(pad).append(row[c]);
                }
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
