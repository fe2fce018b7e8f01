package dev.virtlint.cli;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.pipeline.Lint;
import dev.virtlint.report.FixLine;
import dev.virtlint.report.Visible;
import dev.virtlint.rewrite.Batch;
import dev.virtlint.rewrite.FileFix;
import dev.virtlint.rewrite.Fixer;
import dev.virtlint.rewrite.UnifiedDiff;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code virtlint fix}: applies the recommended setting to every disk that has a fixable finding. */
@Command(name = "fix", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Rewrite domain XML and QEMU .args files in place to the recommended settings, changing only"
                + " the attributes and options concerned.",
            "Only safe fixes are applied: those whose facts are all stated (in the file, its"
                    + " metadata, the configuration or a host profile). --unsafe-fixes applies those"
                    + " that rest on an assumption too.",
            "With --diff, print a unified diff (git apply takes it) and write nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:nothing left to fix (with --diff: no change)",
            "1:findings at or above --fail-on remain, or a disk with a fix was left alone or has an"
                    + " unsafe fix not applied (not with --fail-on never; with --diff: there is a"
                    + " change, or such a disk, whatever --fail-on says)",
            "2:usage error, or a configuration, host profile or rule file that is wrong",
            "3:a file could not be read, parsed, fixed or written (it is left as it was)",
            "70:internal error"})
final class FixCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Files or directories (walked for *.xml, *.args and shell scripts that run QEMU); - alone"
                    + " fixes standard input to standard output.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--stdin-filename", paramLabel = "PATH",
            description = "The file standard input (-) stands for: its name in messages, and the configuration and"
                    + " per-path ignores that apply to it (for editors).")
    String stdinFilename;

    @Option(names = "--diff", description = "Print what would change as a unified diff; write nothing.")
    boolean diff;

    @Option(names = "--unsafe-fixes",
            description = "Apply unsafe fixes too: those that rest on an assumption (the guest"
                    + " assumed to flush, O_DIRECT assumed to work, a mount assumed to be tmpfs);"
                    + " each says what it assumes.")
    boolean unsafeFixes;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Files fixed at once (default: the number of processors).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "warning",
            description = "Exit 1 when a finding at least this severe is left after fixing: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    LintRun.FailOn failOn;

    @Option(names = "--force", description = "Rewrite read-only files too (they keep their mode).")
    boolean force;

    @Mixin
    RuleOptions rules;

    @Mixin
    InputLimit limit;

    @Option(names = {"-v", "--verbose"},
            description = "Also list each file skipped (not a domain, or the same file twice) and why; without"
                    + " it they are counted in the summary.")
    boolean verbose;

    @ParentCommand
    VirtLint parent;

    @Override
    public Integer call() throws IOException, YamlException {
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (paths.equals(List.of("-"))) {
            return fixStandardInput(out, err);
        }
        // The paths before a "-" are read, and what they lack said, before the usage error.
        int stdin = paths.indexOf("-");
        ConfigLookup configs = rules.configs(spec.commandLine());
        Lint.FixTargets targets = Lint.gatherForFix(stdin < 0 ? paths : paths.subList(0, stdin),
                configs::excluded);
        targets.notes().forEach(n -> err.println(Visible.of(n)));
        if (stdin >= 0) {
            throw new ParameterException(spec.commandLine(), "fix - fixes standard input alone: give no other PATH");
        }
        if (stdinFilename != null) {
            throw new ParameterException(spec.commandLine(),
                    "--stdin-filename names standard input: give - as the PATH");
        }
        if (targets.items().isEmpty() && targets.notes().isEmpty()) {
            // As lint says it (LintRun), and ruff: "No Python files found under the given path(s)".
            err.println("virtlint: warning: no file to fix under the given path(s): each was excluded"
                    + " (exclude:, extend-exclude:, force-exclude:) or holds no *.xml, *.args or QEMU script");
        }
        int missing = targets.notes().size();
        List<Input> inputs = targets.items().stream().map(Batch.Item::input).toList();
        RuleOptions.PerInput settings = rules.settings(inputs, configs, spec.commandLine());
        Severity threshold = failOn == LintRun.FailOn.never ? null : Severity.byId(failOn.name()).orElseThrow();
        FileFix.Mode mode = new FileFix.Mode(!diff, threshold, force, limit.bytes, unsafeFixes);
        List<FileFix.Result> results;
        if (parent != null && parent.terminal.progress()) {
            Progress progress = new Progress(err, diff ? "checking" : "fixing", inputs.size());
            try {
                results = Lint.fix(targets, settings.run()::get, settings.configured()::get, mode, jobs,
                        progress);
            } finally {
                progress.end();
            }
        } else {
            results = Lint.fix(targets, settings.run()::get, settings.configured()::get, mode, jobs,
                    done -> { });
        }

        return report(results, missing, threshold, out, err, diff ? err : out);
    }

    /**
     * {@code fix -}: standard input fixed to standard output, as an editor's format-on-save wants
     * (ruff's {@code check --fix -}): the fixed text, or the text as it was when nothing is fixed or
     * the fix is refused, so that a buffer replaced by the output never loses its content; with
     * {@code --diff}, the diff instead. What was fixed and the summary go to standard error; the exit
     * code is fix's.
     */
    private int fixStandardInput(PrintWriter out, PrintWriter err) throws IOException, YamlException {
        Severity threshold = failOn == LintRun.FailOn.never ? null : Severity.byId(failOn.name()).orElseThrow();
        Path path;
        try {
            path = stdinFilename == null ? null : LintRun.stdinPath(stdinFilename);
        } catch (UsageException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String name = stdinFilename == null ? "-" : stdinFilename;
        byte[] before;
        try {
            before = Loader.read(parent.stdin, limit.bytes);
        } catch (IOException e) {
            err.println(name + ": error: " + (e instanceof Loader.TooLarge ? e.getMessage()
                    : "cannot read: " + e.getMessage()));
            err.flush();
            return ExitCode.INPUT;
        }
        Input input = new Input(name, path, Input.Kind.SNIFF, before);
        ConfigLookup configs = rules.configs(spec.commandLine());
        if (path != null && configs.excluded(path, false, true)) {
            // Excluded by force-exclude as the named file would be: the input unchanged, as
            // ruff's check --fix --force-exclude --stdin-filename parrots it
            // (crates/ruff/src/commands/check_stdin.rs), and a note.
            if (!diff) {
                writeStdout(out, before, null);
            }
            err.println(Visible.of(name + ": excluded by force-exclude; written unchanged"));
            err.flush();
            return ExitCode.OK;
        }
        RuleOptions.PerInput settings = rules.settings(List.of(input), configs, spec.commandLine());
        FileFix.Attempt a = FileFix.attempt(input, before, settings.run().get(input),
                settings.configured().get(input), unsafeFixes);
        boolean changed = a.status() == FileFix.Status.CHANGED;
        String diffText = changed && diff
                ? UnifiedDiff.of(name, a.file().source().text(), a.plan().edits()) : "";
        int remaining = threshold == null ? 0
                : (int) a.findings().stream().filter(f -> f.severity().atLeast(threshold)).count();
        FileFix.Result result = new FileFix.Result(name, a.status(), changed ? a.plan().fixed() : List.of(),
                a.notes(), diffText, remaining, a.plan() == null ? 0 : a.plan().unsafe().size());
        if (!diff) {
            writeStdout(out, a.after(), a.file() == null ? null : a.file().source().charset());
        }
        return report(List.of(result), 0, threshold, out, err, err);
    }

    /** Writes {@code bytes} to standard output as they are (decoded with {@code charset}, else UTF-8, in tests). */
    private void writeStdout(PrintWriter out, byte[] bytes, String charset) throws IOException {
        out.flush();
        if (parent.rawOut != null) {
            parent.rawOut.write(bytes);
            parent.rawOut.flush();
        } else {
            java.nio.charset.Charset cs = charset == null ? java.nio.charset.StandardCharsets.UTF_8
                    : java.nio.charset.Charset.forName(charset);
            out.print(new String(bytes, cs));
            out.flush();
        }
    }

    /** Prints what was fixed, the notes and the summary, and returns fix's exit code. */
    private int report(List<FileFix.Result> results, int missing, Severity threshold, PrintWriter out,
                       PrintWriter err, PrintWriter report) {
        for (FileFix.Result r : results) {
            if (diff) {
                out.print(r.diff());
                out.flush();
            }
            if (r.status() == FileFix.Status.CHANGED) {
                report.println(Visible.of((diff ? "would fix " : "fixed ") + r.name() + ": "
                        + describe(r.fixed())));
            }
            // A walk over a large tree meets many files that are not domains: they are counted in
            // the summary, and listed only when asked.
            if (verbose || r.status() != FileFix.Status.SKIPPED) {
                r.notes().forEach(n -> err.println(Visible.of(n)));
            }
        }
        Batch.Summary s = Batch.Summary.of(results);
        report.println(s.changed() + (diff ? " would change, " : " changed, ") + s.unchanged() + " unchanged, "
                + s.skipped() + " skipped" + (s.skipped() > 0 && !verbose ? " (--verbose lists them)" : "")
                + ", " + (s.failed() + missing) + " failed (" + s.disks()
                + (s.disks() == 1 ? " disk" : " disks") + (diff ? " to fix" : " fixed")
                + (s.refused() > 0 ? ", " + s.refused() + " left alone)" : ")") + unsafe(s.unsafe()));
        out.flush();
        err.flush();
        if (results.stream().anyMatch(Batch::internal)) {
            return ExitCode.INTERNAL;
        }
        if (s.failed() + missing > 0) {
            return ExitCode.INPUT;
        }
        // A disk left alone (its note says why) or with an unsafe fix not applied is work left,
        // like a finding without a fix: exit 1, so that a CI check on fix --diff does not pass on
        // a file fix could not settle.
        int left = s.refused() + s.unsafe();
        if (diff) {
            return s.changed() > 0 || left > 0 ? ExitCode.FINDINGS : ExitCode.OK;
        }
        return s.remaining() > 0 || (left > 0 && threshold != null) ? ExitCode.FINDINGS
                : ExitCode.OK;
    }

    /** {@code ; 3 unsafe fixes not applied (--unsafe-fixes applies them)}, or empty for none. */
    private static String unsafe(int n) {
        if (n == 0) {
            return "";
        }
        return "; " + n + (n == 1 ? " unsafe fix not applied (--unsafe-fixes applies it)"
                : " unsafe fixes not applied (--unsafe-fixes applies them)");
    }

    private static String describe(List<FixPlan.DiskFix> fixed) {
        List<String> parts = new ArrayList<>();
        for (FixPlan.DiskFix d : fixed) {
            parts.add(d.target() + " " + d.description()
                    + (d.slowWrites() == null ? "" : FixLine.slowdown(d.slowWrites()))
                    + (d.assumptions().isEmpty() ? ""
                    : " (unsafe: " + String.join("; ", d.assumptions()) + ")"));
        }
        return String.join("; ", parts);
    }
}
