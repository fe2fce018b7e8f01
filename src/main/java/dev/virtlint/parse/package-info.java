/** Parsers that read domain XML, QEMU option strings and shell command lines into the model, keeping exact source offsets. */
package dev.virtlint.parse;
