/** The corpus sweep: libvirt's own test data as an oracle for the parsers (run by bin/corpus-check, never by mvn verify). */
package dev.virtlint.sweep;
