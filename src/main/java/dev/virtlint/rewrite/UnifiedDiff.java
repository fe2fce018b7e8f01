package dev.virtlint.rewrite;

import dev.virtlint.rules.FixPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of one file, built from the edits that changed it rather than by comparing the
 * texts: the lines an edit touches are the changed lines, with three lines of context, in the form
 * {@code git apply} and {@code patch -p1} read. Lines are split at LF as git does, so a CRLF file's
 * lines keep their CR.
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** Changed line ranges: old lines {@code [from, to]} (0-based) and what they become. */
    private record Block(int from, int to, List<String> newLines) {
    }

    /**
     * The diff of {@code text} under {@code edits} (in text order, not overlapping), or the empty
     * string when they change nothing. {@code path} is the file's path relative to where the diff
     * is applied.
     */
    public static String of(String path, String text, List<FixPlan.Replace> edits) {
        if (edits.isEmpty()) {
            return "";
        }
        List<String> lines = lines(text);
        int[] starts = new int[lines.size() + 1];
        for (int i = 0; i < lines.size(); i++) {
            starts[i + 1] = starts[i] + lines.get(i).length();
        }
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < edits.size()) {
            int from = lineOf(starts, edits.get(i).span().start());
            int to = lineOf(starts, Math.max(edits.get(i).span().start(), edits.get(i).span().end() - 1));
            int j = i + 1;
            while (j < edits.size() && lineOf(starts, edits.get(j).span().start()) <= to) {
                to = Math.max(to, lineOf(starts, Math.max(edits.get(j).span().start(), edits.get(j).span().end() - 1)));
                j++;
            }
            int base = starts[from];
            StringBuilder chunk = new StringBuilder(text.substring(base, starts[to + 1]));
            for (int k = j - 1; k >= i; k--) {
                FixPlan.Replace r = edits.get(k);
                chunk.replace(r.span().start() - base, r.span().end() - base, r.text());
            }
            if (!chunk.toString().equals(text.substring(base, starts[to + 1]))) {
                blocks.add(new Block(from, to, lines(chunk.toString())));
            }
            i = j;
        }
        if (blocks.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(path).append('\n');
        out.append("+++ b/").append(path).append('\n');
        int shift = 0;
        int b = 0;
        while (b < blocks.size()) {
            int e = b;
            while (e + 1 < blocks.size() && blocks.get(e + 1).from() - blocks.get(e).to() - 1 <= 2 * CONTEXT) {
                e++;
            }
            int first = Math.max(0, blocks.get(b).from() - CONTEXT);
            int last = Math.min(lines.size() - 1, blocks.get(e).to() + CONTEXT);
            StringBuilder body = new StringBuilder();
            int oldCount = 0;
            int newCount = 0;
            int line = first;
            int hunkShift = shift;
            for (int k = b; k <= e; k++) {
                Block block = blocks.get(k);
                for (; line < block.from(); line++, oldCount++, newCount++) {
                    emit(body, ' ', lines.get(line));
                }
                for (; line <= block.to(); line++, oldCount++) {
                    emit(body, '-', lines.get(line));
                }
                for (String added : block.newLines()) {
                    emit(body, '+', added);
                    newCount++;
                }
                shift += block.newLines().size() - (block.to() - block.from() + 1);
            }
            for (; line <= last; line++, oldCount++, newCount++) {
                emit(body, ' ', lines.get(line));
            }
            out.append("@@ -").append(range(first + 1, oldCount)).append(" +")
                    .append(range(first + 1 + hunkShift, newCount)).append(" @@\n").append(body);
            b = e + 1;
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }

    private static void emit(StringBuilder out, char mark, String line) {
        out.append(mark).append(line);
        if (!line.endsWith("\n")) {
            out.append("\n\\ No newline at end of file\n");
        }
    }

    /** The lines of a text, each with its LF; the last one without, if the text does not end in one. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int nl = text.indexOf('\n', at);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(at, end));
            at = end;
        }
        return out;
    }

    private static int lineOf(int[] starts, int offset) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
