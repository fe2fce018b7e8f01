package dev.virtlint.rules;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Span;
import java.util.List;
import java.util.Set;

/**
 * The fix of one file's findings as planned, once per file: one consistent change per disk, in
 * text replacements. {@code rewrite} makes it (Fixer) and applies it; the reports read it.
 *
 * @param text    the fixed text (the original when nothing applies)
 * @param edits   the replacements that make it, in text order, for a diff
 * @param fixed   the disks changed
 * @param refused the disks left alone
 */
public record FixPlan(String text, List<Replace> edits, List<DiskFix> fixed, List<Refusal> refused) {

    public FixPlan {
        edits = List.copyOf(edits);
        fixed = List.copyOf(fixed);
        refused = List.copyOf(refused);
    }

    /** The plan of a file that has nothing to fix. */
    public static FixPlan none(String text) {
        return new FixPlan(text, List.of(), List.of(), List.of());
    }

    public boolean changed() {
        return !edits.isEmpty();
    }

    /** One replacement: the characters of {@code span} become {@code text}. An empty span inserts. */
    public record Replace(Span span, String text) {
    }

    /**
     * What fixing one disk changes, which findings it answers, and the edits that make it;
     * {@code index} is the disk's place among the file's disks in source order, which the fix
     * keeps, so that it names the disk where names do not.
     */
    public record DiskFix(Disk disk, int index, Set<String> rules, String description,
                          List<Replace> edits) {

        /** The disk's name, as output prints it. */
        public String target() {
            return disk.target();
        }
    }

    /** A disk that has fixable findings but could not be fixed, and why. */
    public record Refusal(String target, Span span, String reason) {
    }
}
