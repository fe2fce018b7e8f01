/** The simulator: how many acknowledged bytes a failure loses, and how fast, for one disk's write path. */
package dev.virtlint.sim;
