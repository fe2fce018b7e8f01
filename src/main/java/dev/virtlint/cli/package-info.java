/** The command line: thin picocli commands that call into the lint pipeline and the reports. */
package dev.virtlint.cli;
