/**
 * The command line: picocli commands (and QuickArgs, the picocli-free path of a plain lint). lint and
 * fix read their options and call {@link dev.virtlint.pipeline.Lint}; some pipeline logic still
 * lives here (SimulateCommand, ProbeCommand), which issue 17 moves out.
 */
package dev.virtlint.cli;
