package dev.virtlint.cli;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.pipeline.Lint;
import dev.virtlint.report.Baseline;
import dev.virtlint.report.Format;
import dev.virtlint.report.Report;
import dev.virtlint.report.ReportSettings;
import dev.virtlint.report.Visible;
import dev.virtlint.report.RunResult;
import dev.virtlint.rewrite.AtomicWrite;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code virtlint lint} does once its command line is read. {@link LintCommand} runs it after
 * picocli has parsed the options; {@link Main} runs it directly when {@link QuickArgs} can read the
 * command line alone, so that a pre-commit hook linting one file does not build picocli's model.
 */
final class LintRun {

    /** Thresholds for the exit code. */
    enum FailOn { error, warning, info, never }

    /** The options of one run, as {@code lint --help} describes them. */
    record Options(List<String> paths, List<String> drives, Format format, FailOn failOn, List<String> select,
                   List<String> ignore, Path config, Path host, Path output, int jobs, Path baseline,
                   Path writeBaseline, long maxInputSize, ReportSettings.Display display,
                   String stdinFilename) {
    }

    private LintRun() {
    }

    static int run(Options o, InputStream stdin, PrintWriter out, PrintWriter err, Terminal terminal)
            throws IOException, YamlException, UsageException {
        if (o.paths().isEmpty() && o.drives().isEmpty()) {
            throw new UsageException("nothing to lint: give a PATH, - for standard input, or --drive STRING");
        }
        // One lookup for the walk's exclusions and the inputs' settings: each configuration is read once.
        ConfigLookup configs = new ConfigLookup(o.config(), w -> err.println("virtlint: " + w));
        Lint.Gathered gathered = stdinNamed(Lint.gather(o.paths(), o.drives(), stdin, o.maxInputSize(),
                configs::excluded), o.paths(), o.stdinFilename(), configs);
        List<Input> inputs = gathered.inputs();
        if (o.output() != null) {
            checkOutput("--output", o.output(), inputs);
        }
        if (o.writeBaseline() != null) {
            checkOutput("--write-baseline", o.writeBaseline(), inputs);
        }
        RuleOptions.PerInput chosen = RuleOptions.settings(inputs, o.select(), o.ignore(), configs,
                o.host());
        Map<Input, Linter.Settings> settings = chosen.run();
        ignoredDisplay(o.format(), o.display()).ifPresent(w -> {
            err.println(w);
            err.flush();
        });
        Baseline accepted = null;
        if (o.baseline() != null) {
            try {
                accepted = Baseline.read(o.baseline());
            } catch (NoSuchFileException e) {
                throw new UsageException("baseline " + o.baseline() + " not found");
            } catch (IOException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Function<Input, Linter.Settings> settingsOf = settings::get;
        Report reporter = o.format().report();
        RunResult run = Lint.run(gathered, settingsOf, chosen.configured()::get, reporter.evidence(), o.jobs(),
                o.maxInputSize());
        List<InputError> errors = run.errors();
        for (InputError e : errors) {
            err.println(Visible.of(e.format()));
        }
        if (o.display().verbose()) {
            // On standard error, as fix -v lists them: a concise report's lines stay findings.
            for (dev.virtlint.report.Checked c : run.files()) {
                if (c.file().kind() == dev.virtlint.lint.ParsedFile.Kind.SKIPPED) {
                    err.println(Visible.of(c.file().name() + ": skipped: " + c.file().note()));
                }
            }
        }
        if (inputs.isEmpty() && errors.isEmpty() && !o.paths().isEmpty() && !o.paths().contains("-")) {
            // As ruff warns "No Python files found under the given path(s)" (crates/ruff/src/
            // commands/check.rs), so that a CI run over paths excluded whole does not pass silently.
            err.println("virtlint: warning: no file to lint under the given path(s): each was excluded"
                    + " (exclude:, extend-exclude:, force-exclude:) or holds no *.xml, *.args or QEMU script");
        }
        err.flush();
        if (o.writeBaseline() != null) {
            Baseline.Text baseline = Baseline.render(run);
            int n = baseline.findings();
            writeOutput("--write-baseline", o.writeBaseline(), baseline.text().getBytes(StandardCharsets.UTF_8));
            err.println("virtlint: wrote " + n + " finding" + (n == 1 ? "" : "s") + " to " + o.writeBaseline());
            err.flush();
            return errors.stream().anyMatch(InputError::internal) ? ExitCode.INTERNAL : ExitCode.OK;
        }
        if (accepted != null) {
            run = accepted.filter(run);
        }
        Severity threshold = o.failOn() == FailOn.never ? null : Severity.byId(o.failOn().name()).orElseThrow();
        ReportSettings reportSettings = new ReportSettings(VersionProvider.version(), threshold,
                o.output() == null && terminal.colour(), o.display());
        String report = reporter.render(run, Lint.rulesRun(inputs, settingsOf), reportSettings);
        if (o.output() != null) {
            // Temporary report files of a run killed with SIGKILL are removed here, as fix does.
            Path outputDir = o.output().toAbsolutePath().normalize().getParent();
            AtomicWrite.removeLeftovers(outputDir).forEach(err::println);
            err.flush();
            writeOutput("--output", o.output(), report.getBytes(StandardCharsets.UTF_8));
        } else {
            out.print(report);
            out.flush();
        }
        if (errors.stream().anyMatch(InputError::internal)) {
            return ExitCode.INTERNAL;
        }
        if (!errors.isEmpty()) {
            return ExitCode.INPUT;
        }
        return run.fails(threshold) ? ExitCode.FINDINGS : ExitCode.OK;
    }

    /**
     * The warning, one line, for display options the format leaves out: {@code --quiet},
     * {@code --statistics} and {@code --show-source} shape the text and concise reports only; the
     * machine formats keep their own shape (ruff's json with {@code --statistics} prints its
     * statistics instead; virtlint's formats have a fixed schema, so it says so instead).
     */
    static java.util.Optional<String> ignoredDisplay(Format format, ReportSettings.Display display) {
        if (format == Format.text || format == Format.concise) {
            return java.util.Optional.empty();
        }
        List<String> ignored = new java.util.ArrayList<>();
        if (display.quiet()) {
            ignored.add("--quiet");
        }
        if (display.statistics()) {
            ignored.add("--statistics");
        }
        if (display.showSource()) {
            ignored.add("--show-source");
        }
        if (ignored.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("virtlint: warning: " + String.join(", ", ignored)
                + (ignored.size() == 1 ? " has" : " have") + " no effect with --format " + format.name()
                + " (only text and concise use " + (ignored.size() == 1 ? "it" : "them") + ")");
    }

    /**
     * Standard input as the file {@code --stdin-filename} names, as an editor linting an unsaved
     * buffer gives it: that name in the report, the configuration found from its directory and the
     * per-path ignores that match it (ruff's option of the same name). Nothing is read from that
     * path: the content is standard input's. A name that {@code force-exclude: true} leaves out,
     * as it would the file named on the command line, gives no input: no findings, exit 0, as
     * ruff's {@code check --force-exclude --stdin-filename} (crates/ruff/src/commands/check_stdin.rs
     * returns no diagnostics for an excluded name), so that an editor linting every buffer skips
     * the files the repository excludes.
     */
    static Lint.Gathered stdinNamed(Lint.Gathered gathered, List<String> paths, String name,
                                    ConfigLookup configs) throws UsageException, YamlException {
        if (name == null) {
            return gathered;
        }
        if (!paths.contains("-")) {
            throw new UsageException("--stdin-filename names standard input: give - as a PATH too");
        }
        Path path = stdinPath(name);
        boolean excluded = configs.excluded(path, false, true);
        List<Input> inputs = new java.util.ArrayList<>();
        for (Input input : gathered.inputs()) {
            boolean stdin = input.name().equals("-") && input.path() == null && input.inline() != null;
            if (stdin && excluded) {
                continue;
            }
            inputs.add(stdin ? new Input(name, path, input.kind(), input.inline()) : input);
        }
        return new Lint.Gathered(inputs, gathered.errors());
    }

    /** The path of {@code --stdin-filename}, or a usage error for a name the file system refuses. */
    static Path stdinPath(String name) throws UsageException {
        try {
            return Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("--stdin-filename " + name + ": " + e.getReason());
        }
    }

    /**
     * Refuses a report file that would overwrite an input, that is a directory or has no directory,
     * that is read-only, or that a symbolic link puts outside the working directory.
     */
    private static void checkOutput(String option, Path output, List<Input> inputs) throws UsageException {
        String named = option + " " + output;
        if (Files.isDirectory(output)) {
            throw new UsageException(named + " is a directory");
        }
        Path abs = output.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException(named + ": no such directory " + parent);
        }
        try {
            Path real = Files.exists(output) ? output.toRealPath()
                    : parent.toRealPath().resolve(abs.getFileName());
            Path cwd = Path.of("").toRealPath();
            if (!real.equals(abs) && !real.startsWith(cwd)) {
                throw new UsageException(named + " leads through a symbolic link to " + real
                        + ", outside the working directory; not followed (name " + real + " itself)");
            }
            if (!Files.exists(output)) {
                return;
            }
            int mode = (Integer) Files.getAttribute(output, "unix:mode");
            if (Files.isRegularFile(output) && (mode & 0222) == 0) {
                throw new UsageException(named + " is read-only");
            }
            Object key = Files.readAttributes(output, BasicFileAttributes.class).fileKey();
            for (Input input : inputs) {
                if (input.path() != null && key != null && key.equals(fileKey(input.path()))) {
                    throw new UsageException(named + " is one of the inputs (" + input.name() + ")");
                }
            }
        } catch (IOException e) {
            throw new UsageException(named + ": " + e.getMessage());
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            // An input that cannot be read is reported as such, not here.
            return null;
        }
    }

    /**
     * Writes the report: a regular or new file through a temporary file and a rename (a reader never
     * sees half a report), anything else (a pipe, /dev/stdout) straight; a failure is a usage error.
     */
    private static void writeOutput(String option, Path output, byte[] report) throws UsageException {
        try {
            if (Files.exists(output) && !Files.isRegularFile(output)) {
                Files.write(output, report);
            } else {
                AtomicWrite.create(output, report);
            }
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UsageException("cannot write " + option + " " + output + ": " + why);
        }
    }
}
