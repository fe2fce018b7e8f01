/**
 * Turns inputs (files, directories, stdin, drive strings) into parsed files ready for the rules
 * and the reports; {@link dev.virtlint.lint.Loader} holds the registry of readers, one per input
 * syntax (see ARCHITECTURE.md).
 */
package dev.virtlint.lint;
