package dev.virtlint.model;

/**
 * A value read from the source together with where its text sits. For an XML attribute the span
 * covers the characters between the quotes; for a QEMU option it covers the text after {@code =}
 * (still escaped, so {@code ,,} counts as two characters); for an element it covers the start tag.
 */
public record Located(String value, Span span) {
}
