package dev.virtlint.rewrite;

import dev.virtlint.model.Span;
import dev.virtlint.rules.FixPlan.Replace;
import java.util.ArrayList;
import java.util.List;

/**
 * Replacements of character ranges in one text, applied together. Two edits that touch the same
 * characters are rejected, not merged: their order would decide the result.
 */
public final class TextEdits {

    /** Thrown when two edits overlap. */
    static final class OverlapException extends IllegalArgumentException {
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

    /**
     * Checks the edits as {@link #apply} would, without building the text: the fixer checks each
     * disk's few edits, and building the whole file's text for each disk was quadratic (issue 15).
     */
    public void check(int length) {
        Replace previous = null;
        for (Replace r : sorted()) {
            checkNext(previous, r, length);
            previous = r;
        }
    }

    private static void checkNext(Replace previous, Replace r, int length) {
        if (r.span().end() > length) {
            throw new IllegalArgumentException("edit beyond the end of the text: ["
                    + r.span().start() + ", " + r.span().end() + ") of " + length);
        }
        if (previous != null && (r.span().start() < previous.span().end()
                || r.span().start() == previous.span().start()
                        && (r.span().isEmpty() || previous.span().isEmpty()))) {
            throw new OverlapException(previous, r);
        }
    }

    /**
     * Whether two edits overlap as {@link #apply} sees it, in either order: they share characters,
     * both start at one offset and one inserts, or one inserts inside the other's range.
     */
    static boolean overlap(Replace a, Replace b) {
        Span x = a.span();
        Span y = b.span();
        return x.start() < y.end() && y.start() < x.end()
                || x.start() == y.start() && (x.isEmpty() || y.isEmpty());
    }

    /**
     * Edits that do not overlap, collected edit set by edit set: {@link #add} takes a set only when
     * none of its edits overlaps one already taken, found in the edits near it (a sorted map), not
     * by applying all of them to the text again.
     */
    static final class Disjoint {

        private final java.util.TreeMap<Integer, List<Replace>> byStart = new java.util.TreeMap<>();
        private final TextEdits all = new TextEdits();

        /** Adds the edits, or throws {@link OverlapException} and adds none. */
        public void add(TextEdits edits) {
            for (Replace r : edits.edits) {
                Replace other = overlapping(r);
                if (other != null) {
                    Replace first = start(other) <= start(r) ? other : r;
                    throw new OverlapException(first, first == r ? other : r);
                }
            }
            for (Replace r : edits.edits) {
                byStart.computeIfAbsent(r.span().start(), k -> new ArrayList<>(1)).add(r);
            }
            all.addAll(edits);
        }

        private static int start(Replace r) {
            return r.span().start();
        }

        /**
         * A taken edit that overlaps {@code r}, or null. Taken edits do not overlap each other, so
         * only the one starting last at or before {@code r} can reach into it from the left; any
         * other candidate starts inside {@code r} or at its end.
         */
        private Replace overlapping(Replace r) {
            Integer before = byStart.floorKey(r.span().start());
            int from = before == null ? r.span().start() : before;
            for (List<Replace> list : byStart.subMap(from, true, r.span().end(), true).values()) {
                for (Replace taken : list) {
                    if (overlap(taken, r)) {
                        return taken;
                    }
                }
            }
            return null;
        }

        public TextEdits edits() {
            return all;
        }
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
            checkNext(previous, r, text.length());
            out.append(text, at, r.span().start()).append(r.text());
            at = r.span().end();
            previous = r;
        }
        return out.append(text, at, text.length()).toString();
    }
}
