package dev.virtlint.fuzz;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.SourceText;
import dev.virtlint.report.Checked;
import dev.virtlint.report.Format;
import dev.virtlint.report.RunResult;
import dev.virtlint.rewrite.Encoded;
import dev.virtlint.rewrite.FileFix;
import dev.virtlint.rewrite.Fixer;
import dev.virtlint.rewrite.TextEdits;
import dev.virtlint.rewrite.UnifiedDiff;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What must hold for any input, whatever its bytes: the checks of the fuzz target, also run on
 * every sample as it is. A broken property throws {@link AssertionError} naming it.
 *
 * <ol>
 *   <li>Reading, linting and reporting throw nothing; an input error is fine, an internal one
 *       (virtlint's own bug, exit 70) is not.</li>
 *   <li>A fix that {@link FileFix#attempt} calls CHANGED re-parses as the same kind of file with
 *       the same disks in the same order, none of the fixed disks still has a finding the fix
 *       answered, and fixing the result again changes nothing.</li>
 *   <li>The bytes outside the edits are the original bytes, and the diff shows the edits.</li>
 * </ol>
 */
final class Oracle {

    /** What one input came to, for the fuzz run's figures. */
    enum Outcome { INPUT_ERROR, SKIPPED, UNCHANGED, CHANGED, KEPT_ORIGINAL }

    private static final Linter.Settings SETTINGS = Linter.Settings.defaults();

    private Oracle() {
    }

    static Outcome check(Input.Kind kind, byte[] bytes) {
        Input input = new Input("fuzz", null, kind, bytes);
        Loader.Outcome loaded = Loader.load(input);
        if (loaded.error() != null) {
            if (loaded.error().internal()) {
                throw new AssertionError("reading gave an internal error: "
                        + loaded.error().format());
            }
            return Outcome.INPUT_ERROR;
        }
        ParsedFile file = loaded.file();
        // What `lint` does with it: the rules with the simulator's evidence, then every report.
        Linter.Result linted = Linter.run(file, SETTINGS, true);
        Checked checked = new Checked(file, linted.findings(), linted.suppressed(),
                Fixer.plan(file, linted.findings()));
        RunResult run = new RunResult(List.of(checked), List.of());
        for (Format format : Format.values()) {
            format.report().render(run, SETTINGS.enabledRules(), dev.virtlint.report.ReportSettings.plain("fuzz"));
        }

        FileFix.Attempt first = FileFix.attempt(input, bytes, SETTINGS);
        switch (first.status()) {
            case SKIPPED:
                return Outcome.SKIPPED;
            case UNCHANGED:
                return Outcome.UNCHANGED;
            case FAILED:
                // The safety net kept the original; not because re-reading the fix crashed, though.
                if (first.plan() != null) {
                    byte[] planned;
                    try {
                        planned = Encoded.splice(first.file().source(), bytes, first.plan().edits());
                    } catch (Encoded.Refused e) {
                        return Outcome.KEPT_ORIGINAL;
                    }
                    Loader.Outcome again = Loader.load(new Input("fuzz", null, kind, planned));
                    if (again.error() != null && again.error().internal()) {
                        throw new AssertionError("the fixed text gave an internal error: "
                                + again.error().format());
                    }
                    return Outcome.KEPT_ORIGINAL;
                }
                throw new AssertionError("fix failed on an input that lint read: " + first.notes());
            case CHANGED:
                break;
            default:
                throw new AssertionError("unknown status " + first.status());
        }
        checkChanged(input, file, first);
        return Outcome.CHANGED;
    }

    private static void checkChanged(Input input, ParsedFile file, FileFix.Attempt first) {
        FixPlan plan = first.plan();
        Input fixedInput = new Input(input.name(), null, input.kind(), first.after());
        Loader.Outcome again = Loader.load(fixedInput);
        if (again.file() == null) {
            throw new AssertionError("the fixed bytes do not re-parse: " + again.error().format());
        }
        ParsedFile fixed = again.file();
        if (fixed.kind() != file.kind()) {
            throw new AssertionError("the fixed file is read as " + fixed.kind() + ", was "
                    + file.kind());
        }
        List<String> before = file.disks().stream().map(Disk::target).toList();
        List<String> after = fixed.disks().stream().map(Disk::target).toList();
        if (!before.equals(after)) {
            throw new AssertionError("the fix changed the disks: " + before + " became " + after);
        }
        List<Finding> left = Linter.lint(fixed, SETTINGS, false);
        for (FixPlan.DiskFix d : plan.fixed()) {
            for (Finding f : left) {
                if (d.target().equals(f.target()) && d.rules().contains(f.rule())) {
                    throw new AssertionError("disk " + d.target() + " still has [" + f.rule()
                            + "] after its fix: " + f.message());
                }
            }
        }
        FileFix.Attempt second = FileFix.attempt(input, first.after(), SETTINGS);
        if (second.status() != FileFix.Status.UNCHANGED) {
            throw new AssertionError("a second fix gave " + second.status() + ", not UNCHANGED: "
                    + second.notes()
                    + (second.plan() == null ? "" : " edits " + second.plan().edits()));
        }
        checkBytesOutsideEdits(file.source(), plan.edits(), input.inline(), first.after());
        String diff = UnifiedDiff.of("fuzz", file.source().text(), plan.edits());
        checkDiff(diff, file.source().text(), plan.text());
    }

    /**
     * Walks the original bytes segment by segment: each stretch of text between two edits, encoded
     * as the file was, must be the original bytes at that place, in the fixed file as before.
     */
    private static void checkBytesOutsideEdits(SourceText source, List<FixPlan.Replace> edits,
                                               byte[] before, byte[] after) {
        Charset cs = Charset.forName(source.charset());
        String text = source.text();
        int inBefore = source.bom() ? "\uFEFF".getBytes(cs).length : 0;
        int inAfter = inBefore;
        int at = 0;
        for (int i = 0; i <= edits.size(); i++) {
            int end = i < edits.size() ? edits.get(i).span().start() : text.length();
            byte[] kept = text.substring(at, end).getBytes(cs);
            if (!same(before, inBefore, kept) || !same(after, inAfter, kept)) {
                throw new AssertionError("bytes outside the edits changed: the text [" + at + ", "
                        + end + ") is not the original bytes at " + inBefore + " (before) / "
                        + inAfter + " (after)");
            }
            inBefore += kept.length;
            inAfter += kept.length;
            if (i < edits.size()) {
                FixPlan.Replace r = edits.get(i);
                inBefore += text.substring(r.span().start(), r.span().end()).getBytes(cs).length;
                inAfter += r.text().getBytes(cs).length;
                at = r.span().end();
            }
        }
        if (inBefore != before.length || inAfter != after.length) {
            throw new AssertionError("the fixed file has " + after.length + " bytes, edits make "
                    + inAfter + " (original " + before.length + ", walked " + inBefore + ")");
        }
    }

    private static boolean same(byte[] bytes, int from, byte[] part) {
        return from + part.length <= bytes.length
                && Arrays.equals(bytes, from, from + part.length, part, 0, part.length);
    }

    /** Every removed line of the diff is in the original text, every added one in the fixed. */
    private static void checkDiff(String diff, String before, String after) {
        if (diff.isEmpty()) {
            throw new AssertionError("fix --diff is empty for a changed file");
        }
        for (String line : diff.split("\n", -1)) {
            if (line.startsWith("---") || line.startsWith("+++") || line.isEmpty()) {
                continue;
            }
            String body = line.substring(1);
            if (line.charAt(0) == '-' && !before.contains(body)) {
                throw new AssertionError("the diff removes a line not in the file: " + body);
            }
            if (line.charAt(0) == '+' && !after.contains(body)) {
                throw new AssertionError("the diff adds a line not in the fixed file: " + body);
            }
        }
    }
}
