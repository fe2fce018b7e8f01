package dev.virtlint.parse;

import dev.virtlint.model.Span;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * QEMU's {@code key=value,key=value} syntax (QemuOpts and keyval): a comma inside a value is written
 * twice, a first item without {@code =} is the implied key's value (the driver of {@code -device}
 * and {@code -blockdev}), and any other item without {@code =} is a flag set to {@code on}.
 */
final class QemuOpts {

    private QemuOpts() {
    }

    /** Parses an option string; {@code impliedKey} may be null. */
    static Options parse(MappedText in, String impliedKey) {
        String s = in.text();
        Map<String, Options.Option> values = new LinkedHashMap<>();
        int p = 0;
        boolean first = true;
        while (p < s.length()) {
            int delim = p;
            while (delim < s.length() && s.charAt(delim) != '=' && s.charAt(delim) != ',') {
                delim++;
            }
            if (delim < s.length() && s.charAt(delim) == '=') {
                String key = s.substring(p, delim);
                int valueStart = delim + 1;
                StringBuilder value = new StringBuilder();
                int end = readValue(s, valueStart, value);
                values.put(key, new Options.Option(key, value.toString(), in.sourceSpan(p, delim), in.sourceSpan(valueStart, end)));
                p = end + 1;
            } else if (first && impliedKey != null) {
                StringBuilder value = new StringBuilder();
                int end = readValue(s, p, value);
                values.put(impliedKey, new Options.Option(impliedKey, value.toString(), Span.at(in.sourceOffset(p)), in.sourceSpan(p, end)));
                p = end + 1;
            } else {
                String key = s.substring(p, delim);
                if (!key.isEmpty()) {
                    values.put(key, new Options.Option(key, "on", in.sourceSpan(p, delim), Span.at(in.sourceOffset(delim))));
                }
                p = delim + 1;
            }
            first = false;
        }
        return new Options(in.sourceSpan(), s, values);
    }

    /** Reads a value up to a single comma; returns the index of that comma or the end. */
    private static int readValue(String s, int from, StringBuilder value) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ',') {
                if (i + 1 < s.length() && s.charAt(i + 1) == ',') {
                    value.append(',');
                    i += 2;
                    continue;
                }
                return i;
            }
            value.append(c);
            i++;
        }
        return i;
    }
}
