/**
 * What the rules need to know beyond the configuration: whether the guest flushes, and what the
 * host's filesystems support; host profiles are read and written here (HostProfile), and the
 * host virtlint runs on is read here (HostProbe).
 */
package dev.virtlint.facts;
