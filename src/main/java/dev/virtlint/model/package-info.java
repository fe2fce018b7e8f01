/** The typed model of what a configuration defines: domains, disks, cache modes, and where each value sits in the source. */
package dev.virtlint.model;
