package dev.virtlint.report;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import java.util.List;

/** A parsed file, what the rules found in it, and what its suppressions hid. */
public record Checked(ParsedFile file, List<Finding> findings, List<Linter.Suppressed> suppressed) {

    public Checked {
        findings = List.copyOf(findings);
        suppressed = List.copyOf(suppressed);
    }

    public Checked(ParsedFile file, List<Finding> findings) {
        this(file, findings, List.of());
    }
}
