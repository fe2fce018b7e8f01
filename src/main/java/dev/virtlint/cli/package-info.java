/**
 * The command line: picocli commands (and QuickArgs, the picocli-free path of a plain lint). Some
 * pipeline logic still lives here (LintRun, and SimulateCommand's choice of the disk to simulate);
 * issue 17 moves it out. ProbeCommand parses options and calls facts.HostProbe, sim.Bench and
 * facts.HostProfile; SimulateCommand's figures come from rules.Evidences, as the lint's do.
 */
package dev.virtlint.cli;
