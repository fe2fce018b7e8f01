package dev.virtlint.rewrite;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Position;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixes one file, like ruff: lint, plan one change per disk, lint the result again, and keep the
 * original when the result does not parse, its disks are not the same disks at the same places, or
 * it still has a finding the fix was to remove. Then
 * either write it in place (atomically) or describe it as a diff.
 */
public final class FileFix {

    /** What happened to a file. */
    public enum Status { CHANGED, UNCHANGED, SKIPPED, FAILED }

    /**
     * The outcome for one file.
     *
     * @param name      the file's name in output
     * @param status    changed (or would be, with a diff), unchanged, skipped or failed
     * @param fixed     the disks changed
     * @param notes     why disks or the whole file were left alone, each as {@code file:line:col: text}
     * @param diff      the unified diff, when asked for and the file changed; else empty
     * @param remaining findings at or above the threshold that are left after the fix
     * @param unsafe    disks whose unsafe fix was not applied (without {@code --unsafe-fixes}),
     *                  each with its note
     */
    public record Result(String name, Status status, List<FixPlan.DiskFix> fixed, List<String> notes, String diff,
                         int remaining, int unsafe) {
    }

    /**
     * Whether to write in place (else describe the change as a diff), the severity that counts as left
     * over, whether a read-only file is rewritten too, the largest file read, and whether unsafe
     * fixes are applied too ({@code --unsafe-fixes}).
     */
    public record Mode(boolean write, Severity threshold, boolean force, long maxInputSize,
                       boolean unsafeFixes) {

        /** Not forced, with the default input size limit, safe fixes only. */
        public Mode(boolean write, Severity threshold) {
            this(write, threshold, false, Loader.DEFAULT_INPUT_LIMIT, false);
        }
    }

    /** What a note about a disk left alone says after its place; {@link #refusals} counts them. */
    private static final String NOT_FIXED_DISK = ": not fixed: disk ";

    /** What a note about a disk whose unsafe fix was not applied says after its place. */
    private static final String UNSAFE_DISK = ": unsafe fix not applied: disk ";

    private FileFix() {
    }

    /** How many disks with a fixable finding the fix of a file left alone (each has its note). */
    static int refusals(Result r) {
        return (int) r.notes().stream().filter(n -> n.contains(NOT_FIXED_DISK)).count();
    }

    /**
     * What fixing some bytes gives, before anything is written.
     *
     * @param status   {@code CHANGED} when {@code after} differs and passed the checks, else why not
     * @param file     the parsed original, or null when it did not parse
     * @param plan     the edits, or null when nothing was planned
     * @param after    the fixed bytes ({@code before} unless changed)
     * @param notes    disks or files left alone, and why
     * @param findings the findings left: after the fix when changed, else the original ones
     */
    public record Attempt(Status status, ParsedFile file, FixPlan plan, byte[] after, List<String> notes,
                          List<Finding> findings) {
    }

    /** {@link #attempt(Input, byte[], Linter.Settings, boolean)} with safe fixes only. */
    public static Attempt attempt(Input input, byte[] before, Linter.Settings settings) {
        return attempt(input, before, settings, false);
    }

    /**
     * {@link #attempt(Input, byte[], Linter.Settings, Linter.Settings, boolean)} with no
     * {@code --select}/{@code --ignore} on top of the configuration.
     */
    public static Attempt attempt(Input input, byte[] before, Linter.Settings settings,
                                  boolean unsafeFixes) {
        return attempt(input, before, settings, settings, unsafeFixes);
    }

    /**
     * Fixes the content of {@code input} in memory: parse, lint with {@code settings}, plan
     * (unsafe fixes too with {@code unsafeFixes}), then parse and lint the result again. Whether a
     * fix takes away what a suppression hides is judged with {@code configured}, the file's rules
     * as its configuration has them without {@code --select}/{@code --ignore}: a later plain
     * {@code lint} checks those, so {@code fix --select X} must not leave it a suppression unused.
     */
    public static Attempt attempt(Input input, byte[] before, Linter.Settings settings,
                                  Linter.Settings configured, boolean unsafeFixes) {
        Loader.Outcome outcome = Loader.load(new Input(input.name(), input.path(), input.kind(), before));
        if (outcome.error() != null) {
            return new Attempt(Status.FAILED, null, null, before, List.of(outcome.error().format()), List.of());
        }
        ParsedFile file = outcome.file();
        if (file.kind() == ParsedFile.Kind.SKIPPED) {
            return new Attempt(Status.SKIPPED, file, null, before, List.of(input.name() + ": skipped: " + file.note()),
                    List.of());
        }
        // With the simulator's figures: a fix that makes writes more than 2x slower says so on
        // its line (Finding#slowWriteRatio); the figures are cached per scenario.
        Linter.Result linted = Linter.run(file, settings, true);
        List<Finding> findings = linted.findings();
        List<Linter.Suppressed> hidden = null;
        // Disks whose fix would take away what a suppression hides; planned again without them.
        Map<Disk, String> leave = new IdentityHashMap<>();
        while (true) {
            FixPlan plan = Fixer.plan(file, findings, unsafeFixes, leave);
            List<String> notes = new ArrayList<>();
            for (FixPlan.Refusal r : plan.refused()) {
                notes.add(at(file, r.span().start()) + NOT_FIXED_DISK + r.target() + ": " + r.reason());
            }
            for (FixPlan.Unsafe u : plan.unsafe()) {
                notes.add(at(file, u.span().start()) + UNSAFE_DISK + u.target() + ": " + u.description()
                        + " (" + String.join("; ", u.assumptions()) + ")");
            }
            if (!plan.changed()) {
                return new Attempt(Status.UNCHANGED, file, plan, before, notes, findings);
            }
            byte[] after;
            try {
                after = Encoded.splice(file.source(), before, plan.edits());
            } catch (Encoded.Refused e) {
                String where = e.offset() < 0 ? input.name() : at(file, e.offset());
                notes.add(where + ": not fixed: " + e.getMessage() + "; kept the original");
                return new Attempt(Status.FAILED, file, plan, before, notes, findings);
            }
            Loader.Outcome again = Loader.load(new Input(input.name(), input.path(), input.kind(), after));
            if (again.error() != null || again.file().kind() != file.kind()) {
                String why = again.error() != null ? again.error().message() : "it would no longer be read as before";
                notes.add(input.name() + ": not fixed: the result would not parse (" + why + "); kept the original");
                return new Attempt(Status.FAILED, file, plan, before, notes, findings);
            }
            String moved = DiskPositions.changed(file, plan.edits(), again.file());
            if (moved != null) {
                notes.add(moved + "; kept the original");
                return new Attempt(Status.FAILED, file, plan, before, notes, findings);
            }
            Linter.Result relinted = Linter.run(again.file(), settings, false);
            if (hidden == null) {
                hidden = suppressed(file, linted, settings, configured);
            }
            Map<Disk, String> unhidden = unhiding(file, hidden, again.file(),
                    suppressed(again.file(), relinted, settings, configured), plan.fixed());
            if (!unhidden.isEmpty()) {
                leave.putAll(unhidden);
                continue;
            }
            List<Finding> left = relinted.findings();
            // The disks after the fix by their place, which is each one's place before (DiskPositions):
            // a disk of the same name that was not fixed may keep its finding.
            Map<Disk, Integer> afterPlace = places(again.file());
            for (FixPlan.DiskFix d : plan.fixed()) {
                for (Finding f : left) {
                    Integer on = f.disk() == null ? null : afterPlace.get(f.disk());
                    boolean same = on != null && on == d.index();
                    if (same && d.rules().contains(f.rule())) {
                        notes.add(at(again.file(), f.span().start()) + ": not fixed: [" + f.rule() + "] is still reported"
                                + " after the fix (" + f.message() + "); kept the original");
                        return new Attempt(Status.FAILED, file, plan, before, notes, findings);
                    }
                }
            }
            return new Attempt(Status.CHANGED, file, plan, after, notes, left);
        }
    }

    /**
     * The fix a report shows for a linted file (safe fixes only, as {@code fix} applies them):
     * {@link Fixer#plan(ParsedFile, List)} less the disks that {@link #attempt} leaves alone
     * because their fix would take away a finding a suppression hides. Only a file with both a
     * suppressed finding and a fix is parsed and linted again, from the planned text in the
     * file's own charset; when that text cannot be encoded or read, the plan is as planned (fix
     * itself checks the bytes it would write).
     */
    public static FixPlan reportPlan(Input input, ParsedFile file, Linter.Result linted,
                                     Linter.Settings settings) {
        return reportPlan(input, file, linted, settings, settings);
    }

    /**
     * {@link #reportPlan(Input, ParsedFile, Linter.Result, Linter.Settings)} for a file linted
     * with {@code settings}, judging suppressions with {@code configured} as {@link #attempt}
     * does, so that {@code lint --select X} marks as fixable only what a plain {@code fix} fixes.
     */
    public static FixPlan reportPlan(Input input, ParsedFile file, Linter.Result linted,
                                     Linter.Settings settings, Linter.Settings configured) {
        FixPlan plan = Fixer.plan(file, linted.findings());
        if (plan.fixed().isEmpty()) {
            return plan;
        }
        List<Linter.Suppressed> hidden = suppressed(file, linted, settings, configured);
        Map<Disk, String> leave = new IdentityHashMap<>();
        while (!hidden.isEmpty() && !plan.fixed().isEmpty()) {
            byte[] bytes;
            try {
                java.nio.charset.Charset charset = java.nio.charset.Charset.forName(
                        file.source().charset());
                java.nio.ByteBuffer encoded = charset.newEncoder()
                        .encode(java.nio.CharBuffer.wrap(plan.text()));
                bytes = new byte[encoded.remaining()];
                encoded.get(bytes);
            } catch (java.nio.charset.CharacterCodingException | IllegalArgumentException
                     | UnsupportedOperationException e) {
                return plan;
            }
            Loader.Outcome again = Loader.load(new Input(input.name(), input.path(), input.kind(),
                    bytes));
            if (again.file() == null || again.file().kind() != file.kind()
                    || DiskPositions.changed(file, plan.edits(), again.file()) != null) {
                return plan;
            }
            Map<Disk, String> unhidden = unhiding(file, hidden, again.file(),
                    Linter.run(again.file(), configured, false).suppressed(), plan.fixed());
            if (unhidden.isEmpty()) {
                return plan;
            }
            leave.putAll(unhidden);
            plan = Fixer.plan(file, linted.findings(), false, leave);
        }
        return plan;
    }

    /**
     * What the suppressions of {@code file} hide under {@code configured}: {@code linted}'s own
     * when it was linted with the same rules, else from a lint of its own.
     */
    private static List<Linter.Suppressed> suppressed(ParsedFile file, Linter.Result linted,
                                                      Linter.Settings settings,
                                                      Linter.Settings configured) {
        boolean same = settings == configured || settings.select().equals(configured.select())
                && settings.ignore().equals(configured.ignore());
        return same ? linted.suppressed() : Linter.run(file, configured, false).suppressed();
    }

    /** Each disk of a file by its place in source order (DiskPositions), the same before and after a fix. */
    private static Map<Disk, Integer> places(ParsedFile file) {
        Map<Disk, Integer> place = new IdentityHashMap<>();
        for (Disk d : DiskPositions.byStart(file.disks())) {
            place.put(d, place.size());
        }
        return place;
    }

    /**
     * The fixed disks whose fix takes away a finding that a suppression hid, each with why it is
     * left alone: the suppression would then hide nothing and be reported as unused (after a fix
     * over a tree, lint reported hundreds of new unused-suppression findings). A suppression is
     * the user's decision about that disk; fix applies the advisor's whole recommendation, which
     * may change the very setting a suppressed rule is about (a cache mode to satisfy
     * native-aio-without-direct-io also ends a suppressed double-caching). A lost finding on no
     * fixed disk (a file's, or one an edit elsewhere took away) leaves every fixed disk alone.
     */
    private static Map<Disk, String> unhiding(ParsedFile file, List<Linter.Suppressed> before,
                                              ParsedFile fixed, List<Linter.Suppressed> after,
                                              List<FixPlan.DiskFix> fixedDisks) {
        Map<Disk, String> leave = new IdentityHashMap<>();
        if (before.isEmpty()) {
            return leave;
        }
        Map<String, Integer> still = new java.util.HashMap<>();
        Map<Disk, Integer> afterPlace = places(fixed);
        for (Linter.Suppressed s : after) {
            still.merge(key(s.finding(), afterPlace), 1, Integer::sum);
        }
        Map<Disk, Integer> beforePlace = places(file);
        for (Linter.Suppressed s : before) {
            Finding f = s.finding();
            String key = key(f, beforePlace);
            if (still.merge(key, -1, Integer::sum) >= 0) {
                continue;
            }
            Integer place = f.disk() == null ? null : beforePlace.get(f.disk());
            String why = "its fix would take away the " + f.rule() + " finding that a suppression"
                    + " hides, leaving the suppression unused; change the disk by hand, or remove"
                    + " the suppression and fix again";
            boolean own = false;
            for (FixPlan.DiskFix d : fixedDisks) {
                if (place != null && d.index() == place) {
                    leave.putIfAbsent(d.disk(), why);
                    own = true;
                }
            }
            if (!own) {
                for (FixPlan.DiskFix d : fixedDisks) {
                    leave.putIfAbsent(d.disk(), why);
                }
            }
        }
        return leave;
    }

    /** A finding's rule and its disk's place (-1 for none): what stays the same across a fix. */
    private static String key(Finding f, Map<Disk, Integer> places) {
        Integer place = f.disk() == null ? null : places.get(f.disk());
        return f.rule() + "@" + (place == null ? -1 : place);
    }

    /**
     * Fixes {@code input} (a file), writing to {@code target} (the file itself, or the real file behind a
     * link) and naming it {@code diffPath} in a diff.
     */
    static Result run(Input input, Path target, String diffPath, Linter.Settings settings, Mode mode) {
        return run(input, target, diffPath, settings, settings, mode);
    }

    /**
     * {@link #run(Input, Path, String, Linter.Settings, Mode)}, judging suppressions with
     * {@code configured} ({@link #attempt(Input, byte[], Linter.Settings, Linter.Settings, boolean)}).
     */
    static Result run(Input input, Path target, String diffPath, Linter.Settings settings,
                      Linter.Settings configured, Mode mode) {
        AtomicWrite.Snapshot read;
        try {
            read = AtomicWrite.Snapshot.read(target, mode.maxInputSize());
        } catch (Loader.TooLarge e) {
            return failed(input, input.name() + ": " + e.getMessage());
        } catch (IOException e) {
            return failed(input, input.name() + ": cannot read: " + e.getMessage());
        }
        byte[] before = read.bytes();
        Attempt a = attempt(input, before, settings, configured, mode.unsafeFixes());
        int remaining = count(a.findings(), mode.threshold());
        int unsafe = a.plan() == null ? 0 : a.plan().unsafe().size();
        if (a.status() != Status.CHANGED) {
            return new Result(input.name(), a.status(), List.of(), a.notes(), "", remaining,
                    unsafe);
        }
        List<String> notes = new ArrayList<>(a.notes());
        String diff = "";
        if (mode.write()) {
            try {
                AtomicWrite.replace(target, read, a.after(), false, mode.force());
            } catch (IOException e) {
                notes.add(input.name() + ": not written: " + e.getMessage());
                return new Result(input.name(), Status.FAILED, List.of(), notes, "", remaining,
                        unsafe);
            }
        } else {
            diff = UnifiedDiff.of(diffPath, a.file().source().text(), a.plan().edits());
        }
        return new Result(input.name(), Status.CHANGED, a.plan().fixed(), notes, diff, remaining,
                unsafe);
    }

    private static Result failed(Input input, String message) {
        return new Result(input.name(), Status.FAILED, List.of(), List.of(message), "", 0, 0);
    }

    private static String at(ParsedFile file, int offset) {
        Position p = file.source().positionOf(offset);
        return file.name() + ":" + p.line() + ":" + p.column();
    }

    private static int count(List<Finding> findings, Severity threshold) {
        if (threshold == null) {
            return 0;
        }
        return (int) findings.stream().filter(f -> f.severity().atLeast(threshold)).count();
    }
}
