package dev.virtlint.rules;

import java.util.List;

/**
 * A rule about a whole file rather than one disk: the linter runs it once per file, after the disk
 * rules, when it knows which findings the file's suppressions hid. File rules are built in (they
 * see the suppressions, which only the linter knows), so this kind is not open to rule files.
 */
non-sealed interface FileRule extends Rule {

    void check(FileCheck check, List<Finding> out);
}
