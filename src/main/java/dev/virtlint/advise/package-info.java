/** The advisor: one recommended cache setting per disk, which every finding on that disk carries as its fix. */
package dev.virtlint.advise;
