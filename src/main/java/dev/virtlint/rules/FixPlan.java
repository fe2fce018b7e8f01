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
 * @param unsafe  the disks whose fix is unsafe and was not planned (without
 *                {@code --unsafe-fixes}); a disk may also have a safe fix in {@code fixed}
 */
public record FixPlan(String text, List<Replace> edits, List<DiskFix> fixed,
                      List<Refusal> refused, List<Unsafe> unsafe) {

    public FixPlan {
        edits = List.copyOf(edits);
        fixed = List.copyOf(fixed);
        refused = List.copyOf(refused);
        unsafe = List.copyOf(unsafe);
    }

    /** The plan of a file that has nothing to fix. */
    public static FixPlan none(String text) {
        return new FixPlan(text, List.of(), List.of(), List.of(), List.of());
    }

    public boolean changed() {
        return !edits.isEmpty();
    }

    /** One replacement: the characters of {@code span} become {@code text} (empty span: insert). */
    public record Replace(Span span, String text) {
    }

    /**
     * What fixing one disk changes, which findings it answers, and the edits that make it;
     * {@code index} is the disk's place among the file's disks in source order, which the fix
     * keeps, so that it names the disk where names do not; {@code assumptions} are what its
     * unsafe fixes rest on (empty when every fix applied is safe); {@code slowWrites} is the
     * simulator's write ratio with the fix when writes get more than 2x slower
     * ({@link Finding#slowWriteRatio}), or null.
     */
    public record DiskFix(Disk disk, int index, Set<String> rules, String description,
                          List<Replace> edits, List<String> assumptions, Double slowWrites) {

        public DiskFix {
            edits = List.copyOf(edits);
            assumptions = List.copyOf(assumptions);
        }

        /** The disk's name, as output prints it. */
        public String target() {
            return disk.target();
        }
    }

    /** A disk that has fixable findings but could not be fixed, and why. */
    public record Refusal(String target, Span span, String reason) {
    }

    /**
     * A disk whose fix is unsafe, left for {@code fix --unsafe-fixes}: what it would change and
     * what it rests on.
     */
    public record Unsafe(String target, Span span, String description, List<String> assumptions) {

        public Unsafe {
            assumptions = List.copyOf(assumptions);
        }
    }
}
