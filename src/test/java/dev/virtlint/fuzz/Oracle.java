package dev.virtlint.fuzz;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.SourceText;
import dev.virtlint.report.Checked;
import dev.virtlint.report.JsonReport;
import dev.virtlint.report.RunResult;
import dev.virtlint.report.SarifReport;
import dev.virtlint.report.TextReport;
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
    enum Outcome { INPUT_ERROR, SKIPPED, UNCHANGED, CHANGED, KEPT_ORIGINAL, KNOWN }

    /**
     * Bugs of issue 15 that other parts fix, which the fuzzer finds within seconds: they are
     * counted as {@link Outcome#KNOWN} so that a run goes on to find others.
     * {@code -Dvirtlint.fuzz.strict=true} (bin/fuzz --strict) makes them failures again; once
     * their fixes are in, remove them here.
     */
    enum Known {
        /**
         * Part "edits": a file whose bytes do not survive decoding and encoding (an invalid UTF-8
         * byte becomes U+FFFD) is re-encoded whole, so a fix changes bytes it did not edit.
         */
        EDITS_ENCODING,
        /** Part "edits": an option string that ends with its separator gets ",,cache=none". */
        EDITS_TRAILING_SEPARATOR,
        /** Part "batch": deep {@code -blockdev} JSON overflows the parser's stack. */
        BATCH_DEEP_JSON,
        /** Part "batch": a 20-digit number in an OS id or version throws NumberFormatException. */
        BATCH_BIG_NUMBER
    }

    static final boolean STRICT = Boolean.getBoolean("virtlint.fuzz.strict");
    static final Map<Known, AtomicLong> KNOWN = new EnumMap<>(Known.class);

    static {
        for (Known k : Known.values()) {
            KNOWN.put(k, new AtomicLong());
        }
    }

    /** A broken property that is {@code bug}, fixed by another part: counted; true if tolerated. */
    private static boolean known(Known bug) {
        KNOWN.get(bug).incrementAndGet();
        return !(STRICT || STRICT_HERE.get());
    }

    /** Strict for one check, whatever {@link #STRICT} says: for the unit tests of found inputs. */
    private static final ThreadLocal<Boolean> STRICT_HERE = ThreadLocal.withInitial(() -> false);

    /** {@link #check} with every known bug counted as a failure. */
    static Outcome checkStrictly(Input.Kind kind, byte[] bytes) {
        STRICT_HERE.set(true);
        try {
            return check(kind, bytes);
        } finally {
            STRICT_HERE.set(false);
        }
    }

    private static final Linter.Settings SETTINGS = Linter.Settings.defaults();

    private Oracle() {
    }

    static Outcome check(Input.Kind kind, byte[] bytes) {
        try {
            return checkAll(kind, bytes);
        } catch (NumberFormatException e) {
            if (known(Known.BATCH_BIG_NUMBER)) {
                return Outcome.KNOWN;
            }
            throw e;
        }
    }

    private static Outcome checkAll(Input.Kind kind, byte[] bytes) {
        Input input = new Input("fuzz", null, kind, bytes);
        Loader.Outcome loaded = Loader.load(input);
        if (loaded.error() != null) {
            if (loaded.error().internal()) {
                if (kind != Input.Kind.XML
                        && loaded.error().message().startsWith("java.lang.StackOverflowError")
                        && known(Known.BATCH_DEEP_JSON)) {
                    return Outcome.KNOWN;
                }
                if (loaded.error().message().startsWith("java.lang.NumberFormatException")
                        && known(Known.BATCH_BIG_NUMBER)) {
                    return Outcome.KNOWN;
                }
                throw new AssertionError("reading gave an internal error: "
                        + loaded.error().format());
            }
            return Outcome.INPUT_ERROR;
        }
        ParsedFile file = loaded.file();
        // What `lint` does with it: the rules with the simulator's evidence, then every report.
        Linter.Result linted = Linter.run(file, SETTINGS, true);
        Checked checked = new Checked(file, linted.findings(), linted.suppressed());
        RunResult run = new RunResult(List.of(checked), List.of());
        TextReport.render(run);
        JsonReport.render(run, "fuzz");
        SarifReport.render(run, SETTINGS.enabledRules(), "fuzz");

        FileFix.Attempt first = FileFix.attempt(input, bytes, SETTINGS);
        switch (first.status()) {
            case SKIPPED:
                return Outcome.SKIPPED;
            case UNCHANGED:
                return Outcome.UNCHANGED;
            case FAILED:
                // The safety net kept the original; not because re-reading the fix crashed, though.
                if (first.plan() != null) {
                    byte[] planned = Encoded.bytes(first.file().source(), first.plan().text());
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
        return checkChanged(input, file, first) ? Outcome.CHANGED : Outcome.KNOWN;
    }

    /** False when a property broke in a {@link Known} way (and was tolerated). */
    private static boolean checkChanged(Input input, ParsedFile file, FileFix.Attempt first) {
        Fixer.Plan plan = first.plan();
        String text = file.source().text();
        for (TextEdits.Replace r : plan.edits()) {
            int at = r.span().start();
            if (r.text().startsWith(",") && at > 0 && text.charAt(at - 1) == ','
                    && known(Known.EDITS_TRAILING_SEPARATOR)) {
                return false;
            }
        }
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
        for (Fixer.DiskFix d : plan.fixed()) {
            for (Finding f : left) {
                if (d.target().equals(f.disk()) && d.rules().contains(f.rule())) {
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
        byte[] recoded = Encoded.bytes(file.source(), file.source().text());
        boolean roundTrips = Arrays.equals(recoded, input.inline());
        boolean checked = roundTrips || !known(Known.EDITS_ENCODING);
        if (checked) {
            checkBytesOutsideEdits(file.source(), plan.edits(), input.inline(), first.after());
        }
        String diff = UnifiedDiff.of("fuzz", file.source().text(), plan.edits());
        checkDiff(diff, file.source().text(), plan.text());
        return checked;
    }

    /**
     * Walks the original bytes segment by segment: each stretch of text between two edits, encoded
     * as the file was, must be the original bytes at that place, in the fixed file as before.
     */
    private static void checkBytesOutsideEdits(SourceText source, List<TextEdits.Replace> edits,
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
                TextEdits.Replace r = edits.get(i);
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
