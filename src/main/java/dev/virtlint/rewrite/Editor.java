package dev.virtlint.rewrite;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Span;
import dev.virtlint.rules.Edit;
import java.util.List;

/**
 * How fixes are written in one input syntax: the changes that give a disk the advisor's
 * recommendation, and the text edits that make them on the original characters. {@link Fixer}
 * plans a file's fix through the editor of each disk's {@link Dialect}.
 */
interface Editor {

    /** The editor of each dialect: the one place that says how a syntax is edited. */
    static Editor of(Dialect dialect) {
        return switch (dialect) {
            case XML -> XmlEditor.INSTANCE;
            case ARGS -> QemuOptionEdits.SHELL_WORDS;
            case QEMU_COMMANDLINE, DRIVE -> QemuOptionEdits.PLAIN;
        };
    }

    /** Why no fix can be written to this disk at all, or null when one can. */
    String refusal(Disk disk);

    /** The changes that give a disk the recommended setting, in its syntax's own terms. */
    List<Change> advised(Disk disk, Recommendation r);

    /**
     * The owner of a declarative rule's edit: the span of the element whose attribute it sets,
     * where the syntax has elements; null where a disk's settings are options of one string.
     */
    Span owner(Edit edit);

    /**
     * Adds the edits that make {@code changes} to {@code out}: all of them or, with
     * {@link Refused} or {@link IllegalArgumentException}, none.
     */
    void apply(ParsedFile file, Disk disk, List<Change> changes, TextEdits out) throws Refused;

    /** Why an edit cannot be made. */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
