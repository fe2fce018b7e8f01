/**
 * The command line: picocli commands (and QuickArgs, the picocli-free path of a plain lint). lint
 * and fix read their options and call {@link dev.virtlint.pipeline.Lint}; some pipeline logic
 * still lives here (SimulateCommand's choice of the disk to simulate), which issue 17 moves out.
 * ProbeCommand parses options and calls facts.HostProbe, sim.Bench and facts.HostProfile;
 * SimulateCommand's figures come from rules.Evidences, as the lint's do.
 */
package dev.virtlint.cli;
