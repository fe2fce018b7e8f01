/**
 * Lossless rewriting: changes made as text edits on the original characters, at the spans the
 * parser recorded, so every byte outside an edit stays as it was (style.md: never re-serialize).
 */
package dev.virtlint.rewrite;
