/**
 * Lossless rewriting: changes made as text edits on the original characters, at the spans the
 * parser recorded, so every byte outside an edit stays as it was (style.md: never re-serialize);
 * each input syntax writes its fixes through its {@code Editor}.
 */
package dev.virtlint.rewrite;
