package org.switchboard.admin.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One record as "label:  value" lines, values aligned; a field without a value is left out. */
record Fields(List<Field> fields) {

    record Field(String label, String value) {
    }

    Fields {
        fields = List.copyOf(fields);
    }

    static Fields of() {
        return new Fields(List.of());
    }

    Fields with(String label, String value) {
        List<Field> more = new ArrayList<>(fields);
        more.add(new Field(label, value));
        return new Fields(more);
    }

    Fields with(String label, Optional<String> value) {
        return value.map(v -> with(label, v)).orElse(this);
    }

    String render() {
        int width = fields.stream().mapToInt(f -> f.label().length()).max().orElse(0) + 1;
        StringBuilder out = new StringBuilder();
        for (Field f : fields) {
            String label = f.label() + ":";
            out.append(label).append(" ".repeat(width - label.length() + 2)).append(f.value()).append('\n');
        }
        return out.toString();
    }
}
