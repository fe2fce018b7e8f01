/** What the rules need to know beyond the configuration: whether the guest flushes, and what the host's filesystems support. */
package dev.virtlint.facts;
