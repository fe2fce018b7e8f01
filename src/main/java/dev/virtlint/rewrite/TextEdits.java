package dev.virtlint.rewrite;

import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Replacements of character ranges in one text, applied together. Two edits that touch the same
 * characters are rejected, not merged: their order would decide the result.
 */
public final class TextEdits {

    /** One replacement: the characters of {@code span} become {@code text}. An empty span inserts. */
    public record Replace(Span span, String text) {
    }

    /** Thrown when two edits overlap. */
    public static final class OverlapException extends IllegalArgumentException {
        OverlapException(Replace a, Replace b) {
            super("edits overlap: [" + a.span().start() + ", " + a.span().end() + ") and [" + b.span().start() + ", "
                    + b.span().end() + ")");
        }
    }

    private final List<Replace> edits = new ArrayList<>();

    public TextEdits add(Span span, String text) {
        edits.add(new Replace(span, text));
        return this;
    }

    public TextEdits addAll(TextEdits other) {
        edits.addAll(other.edits);
        return this;
    }

    /** The edits in text order. */
    public List<Replace> sorted() {
        List<Replace> sorted = new ArrayList<>(edits);
        // Our own lambda, not Comparator's combinators: the class-data archive keeps ours; the JDK's are made at run time.
        sorted.sort((a, b) -> a.span().start() != b.span().start() ? Integer.compare(a.span().start(), b.span().start())
                : Integer.compare(a.span().end(), b.span().end()));
        return sorted;
    }

    public boolean isEmpty() {
        return edits.isEmpty();
    }

    /**
     * The text with every edit applied. Insertions at the same offset are an overlap too, and so is
     * an insertion inside a replaced range; an insertion at a replaced range's edge is not.
     */
    public String apply(String text) {
        List<Replace> sorted = sorted();
        StringBuilder out = new StringBuilder(text.length() + 64);
        int at = 0;
        Replace previous = null;
        for (Replace r : sorted) {
            if (r.span().end() > text.length()) {
                throw new IllegalArgumentException("edit beyond the end of the text: [" + r.span().start() + ", "
                        + r.span().end() + ") of " + text.length());
            }
            if (previous != null && (r.span().start() < previous.span().end()
                    || r.span().start() == previous.span().start() && (r.span().isEmpty() || previous.span().isEmpty()))) {
                throw new OverlapException(previous, r);
            }
            out.append(text, at, r.span().start()).append(r.text());
            at = r.span().end();
            previous = r;
        }
        return out.append(text, at, text.length()).toString();
    }
}
