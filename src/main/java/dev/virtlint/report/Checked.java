package dev.virtlint.report;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Finding;
import java.util.List;

/** A parsed file and what the rules found in it. */
public record Checked(ParsedFile file, List<Finding> findings) {

    public Checked {
        findings = List.copyOf(findings);
    }
}
