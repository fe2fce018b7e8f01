package dev.virtlint.rewrite;

import dev.virtlint.model.Span;

/**
 * One setting to give a disk, in its syntax's own terms: an attribute of the element at
 * {@code owner} (XML), or an option ({@code owner} null); {@code value} null removes it.
 */
record Change(Span owner, String name, String value) {
}
