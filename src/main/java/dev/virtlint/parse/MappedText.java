package dev.virtlint.parse;

import dev.virtlint.model.Span;

/**
 * Text decoded from a stretch of source (an XML attribute with entities, a quoted shell word) that
 * remembers, for every decoded character, where its raw text starts and ends in the source. Spans
 * found in the decoded text map back to exact source spans.
 */
public final class MappedText {

    private final String text;
    private final int[] starts;
    private final int[] ends;
    private final int origin;

    MappedText(String text, int[] starts, int[] ends, int origin) {
        if (starts.length != text.length() || ends.length != text.length()) {
            throw new IllegalArgumentException("offset tables do not match the text");
        }
        this.text = text;
        this.starts = starts;
        this.ends = ends;
        this.origin = origin;
    }

    /** Text that stands in the source as it is, starting at {@code base}. */
    public static MappedText identity(String text, int base) {
        int[] starts = new int[text.length()];
        int[] ends = new int[text.length()];
        for (int i = 0; i < text.length(); i++) {
            starts[i] = base + i;
            ends[i] = base + i + 1;
        }
        return new MappedText(text, starts, ends, base);
    }

    public String text() {
        return text;
    }

    /** The source span of the decoded characters {@code [from, to)}. */
    public Span sourceSpan(int from, int to) {
        if (from < to) {
            // Characters a shell script took from an earlier assignment may come before the ones
            // around them; such a span is never empty-inverted (ArgsParser keeps that rare).
            return new Span(starts[from], Math.max(starts[from], ends[to - 1]));
        }
        return Span.at(sourceOffset(from));
    }

    /** The source offset where decoded character {@code index} starts (or the end, at the length). */
    public int sourceOffset(int index) {
        if (index < text.length()) {
            return starts[index];
        }
        return text.isEmpty() ? origin : ends[text.length() - 1];
    }

    /** The source span of the whole text. */
    public Span sourceSpan() {
        return sourceSpan(0, text.length());
    }

    /** A sub-range as its own mapped text. */
    public MappedText sub(int from, int to) {
        int[] s = java.util.Arrays.copyOfRange(starts, from, to);
        int[] e = java.util.Arrays.copyOfRange(ends, from, to);
        return new MappedText(text.substring(from, to), s, e, sourceOffset(from));
    }

    /** Builds a mapped text one decoded character at a time. */
    static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private int[] starts = new int[32];
        private int[] ends = new int[32];
        private final int origin;

        Builder(int origin) {
            this.origin = origin;
        }

        void append(char c, int rawStart, int rawEnd) {
            int n = text.length();
            if (n == starts.length) {
                starts = java.util.Arrays.copyOf(starts, n * 2);
                ends = java.util.Arrays.copyOf(ends, n * 2);
            }
            starts[n] = rawStart;
            ends[n] = rawEnd;
            text.append(c);
        }

        /** Appends character {@code i} of {@code from}, where it stands in the source. */
        void append(MappedText from, int i) {
            append(from.text.charAt(i), from.starts[i], from.ends[i]);
        }

        int length() {
            return text.length();
        }

        MappedText build() {
            int n = text.length();
            return new MappedText(text.toString(), java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n), origin);
        }
    }
}
