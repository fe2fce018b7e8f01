package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Severity;
import java.util.List;

/** Everything one lint run produced, in input order. */
public record RunResult(List<Checked> files, List<InputError> errors) {

    public RunResult {
        files = List.copyOf(files);
        errors = List.copyOf(errors);
    }

    public int diskCount() {
        return files.stream().mapToInt(f -> f.file().disks().size()).sum();
    }

    public long skippedCount() {
        return files.stream().filter(f -> f.file().kind() == ParsedFile.Kind.SKIPPED).count();
    }

    public long count(Severity severity) {
        return findings().stream().filter(f -> f.severity() == severity).count();
    }

    public List<Finding> findings() {
        return files.stream().flatMap(f -> f.findings().stream()).toList();
    }

    /** Whether any finding is at or above the threshold; a null threshold never fails. */
    public boolean fails(Severity threshold) {
        return threshold != null && findings().stream().anyMatch(f -> f.severity().atLeast(threshold));
    }
}
