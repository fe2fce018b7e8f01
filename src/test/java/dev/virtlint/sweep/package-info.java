/**
 * The corpus sweep: libvirt's own test data as an oracle for the parsers, run by bin/corpus-check
 * on the corpus beside the checkout ({@code .ci/run}); {@code mvn verify} runs it only on small
 * folders the tests write (CorpusSweepTest, FixSweepTest), never on the corpus.
 */
package dev.virtlint.sweep;
