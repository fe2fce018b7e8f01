package dev.virtlint.rules;

import java.util.List;

/** A rule that flags one hazard on one disk; the linter runs it on every disk of a file. */
non-sealed interface DiskRule extends Rule {

    void check(DiskCheck check, List<Finding> out);
}
