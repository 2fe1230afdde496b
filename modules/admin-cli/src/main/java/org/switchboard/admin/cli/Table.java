package org.switchboard.admin.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows under upper-case headings, every column as wide as its widest cell, two spaces apart; the last column is
 * not padded, so no line ends in blanks. An empty cell is shown as {@code -} so columns stay countable for
 * {@code awk}.
 */
record Table(List<String> headers, List<List<String>> rows) {

    Table {
        headers = List.copyOf(headers);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : rows) {
            if (row.size() != headers.size()) {
                throw new IllegalArgumentException("a row of " + row.size() + " cells under " + headers.size() + " headers");
            }
            copy.add(row.stream().map(c -> c.isEmpty() ? "-" : c).toList());
        }
        rows = List.copyOf(copy);
    }

    static Table of(String... headers) {
        return new Table(List.of(headers), List.of());
    }

    /** A new table with one more row (tables here are a few hundred rows at most: copying is fine). */
    Table row(String... cells) {
        List<List<String>> more = new ArrayList<>(rows);
        more.add(List.of(cells));
        return new Table(headers, more);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table as lines, each ending in a newline; only the header line when there are no rows. */
    String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width(headers.get(i));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            out.append(cell);
            if (i < cells.size() - 1) {
                out.append(" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        out.append('\n');
    }

    /** Code points, not chars: a display name with an emoji or an accented letter still lines up. */
    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
