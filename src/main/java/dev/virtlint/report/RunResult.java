package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.lint.ParsedFile;
import java.util.List;

/** Everything one lint run produced, in input order. */
public record RunResult(List<ParsedFile> files, List<InputError> errors) {

    public RunResult {
        files = List.copyOf(files);
        errors = List.copyOf(errors);
    }

    public int diskCount() {
        return files.stream().mapToInt(f -> f.disks().size()).sum();
    }

    public long skippedCount() {
        return files.stream().filter(f -> f.kind() == ParsedFile.Kind.SKIPPED).count();
    }
}
