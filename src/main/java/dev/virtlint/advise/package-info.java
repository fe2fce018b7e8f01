/**
 * The advisor: one recommended cache setting per disk, which every finding on that disk carries as
 * its fix, with what it assumes that nothing stated says (a fix is unsafe when it assumes anything).
 */
package dev.virtlint.advise;
