package dev.virtlint.report;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Linter;
import java.util.List;

/**
 * A parsed file, what the rules found in it, what its suppressions hid, and the fix of its findings
 * as planned once for the file (every report reads it rather than planning again).
 */
public record Checked(ParsedFile file, List<Finding> findings, List<Linter.Suppressed> suppressed,
                      FixPlan plan) {

    public Checked {
        findings = List.copyOf(findings);
        suppressed = List.copyOf(suppressed);
    }
}
