/**
 * The command line: picocli commands (and QuickArgs, the picocli-free path of a plain lint). Some
 * pipeline logic still lives here (LintRun, SimulateCommand, ProbeCommand); issue 17 moves it out.
 */
package dev.virtlint.cli;
