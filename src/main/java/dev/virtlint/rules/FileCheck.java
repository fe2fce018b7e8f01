package dev.virtlint.rules;

import dev.virtlint.lint.ParsedFile;
import java.util.List;

/**
 * What a {@link FileRule} sees of one file: the file, its suppressions in source order, which of
 * them hid a finding of the disk rules, and which rules exist and ran.
 */
final class FileCheck {

    private final ParsedFile file;
    private final List<Suppressions.Suppression> suppressions;
    private final boolean[] used;
    private final Linter.Settings settings;

    FileCheck(ParsedFile file, List<Suppressions.Suppression> suppressions, boolean[] used,
              Linter.Settings settings) {
        this.file = file;
        this.suppressions = suppressions;
        this.used = used;
        this.settings = settings;
    }

    ParsedFile file() {
        return file;
    }

    List<Suppressions.Suppression> suppressions() {
        return suppressions;
    }

    /** Whether the {@code i}-th suppression hid at least one finding. */
    boolean used(int i) {
        return used[i];
    }

    /** Whether {@code id} names a rule of this run (the catalogue's or a custom one). */
    boolean known(String id) {
        return settings.rule(id).isPresent();
    }

    /** Whether the rule {@code id} ran on this file. */
    boolean ran(String id) {
        return settings.enabled(id);
    }
}
