/**
 * The typed model of what a configuration defines: domains, disks, cache modes, and where each
 * value sits in the source; each disk's {@link dev.virtlint.model.Dialect} says how its syntax
 * names and renders a setting.
 */
package dev.virtlint.model;
