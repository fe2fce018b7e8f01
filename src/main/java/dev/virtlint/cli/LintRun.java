package dev.virtlint.cli;

import dev.virtlint.lint.InOrder;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.Baseline;
import dev.virtlint.report.Checked;
import dev.virtlint.report.Format;
import dev.virtlint.report.RunResult;
import dev.virtlint.rewrite.AtomicWrite;
import dev.virtlint.rewrite.Fixer;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
                   Path writeBaseline, long maxInputSize) {
    }

    private LintRun() {
    }

    static int run(Options o, InputStream stdin, PrintWriter out, PrintWriter err)
            throws IOException, YamlException, UsageException {
        if (o.paths().isEmpty() && o.drives().isEmpty()) {
            throw new UsageException("nothing to lint: give a PATH, - for standard input, or --drive STRING");
        }
        List<Input> inputs = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        for (String path : o.paths()) {
            if (path.equals("-")) {
                try {
                    // read like a file, up to the limit: an endless pipe is that input's error, not an OOM
                    inputs.add(new Input("-", null, Input.Kind.SNIFF, Loader.read(stdin, o.maxInputSize())));
                } catch (IOException e) {
                    errors.add(new InputError("-", null, e instanceof Loader.TooLarge
                            ? e.getMessage() : "cannot read: " + e.getMessage(), false));
                }
                continue;
            }
            Inputs.Expanded expanded = Inputs.expand(List.of(path));
            inputs.addAll(expanded.inputs());
            for (String missing : expanded.missing()) {
                errors.add(new InputError(missing, null, "no such file or directory", false));
            }
            errors.addAll(expanded.errors());
        }
        for (int i = 0; i < o.drives().size(); i++) {
            inputs.add(new Input("--drive[" + (i + 1) + "]", null, Input.Kind.DRIVE,
                    o.drives().get(i).getBytes(StandardCharsets.UTF_8)));
        }
        if (o.output() != null) {
            checkOutput("--output", o.output(), inputs);
        }
        if (o.writeBaseline() != null) {
            checkOutput("--write-baseline", o.writeBaseline(), inputs);
        }
        Map<Input, Linter.Settings> settings = RuleOptions.settings(inputs, o.select(), o.ignore(), o.config(),
                o.host(), w -> err.println("virtlint: " + w));
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
        List<Rule> ran = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Input input : inputs) {
            settings.get(input).enabledRules().stream().filter(r -> seen.add(r.id())).forEach(ran::add);
        }
        boolean evidence = o.format().report().evidence();
        List<Object> outcomes = InOrder.map(inputs, o.jobs(), input -> {
            Loader.Outcome outcome = Loader.load(input, o.maxInputSize());
            if (outcome.file() == null) {
                return outcome.error();
            }
            Linter.Result result = Linter.run(outcome.file(), settings.get(input), evidence);
            FixPlan plan = result.findings().isEmpty() ? FixPlan.none(outcome.file().source().text())
                    : Fixer.plan(outcome.file(), result.findings());
            return new Checked(outcome.file(), result.findings(), result.suppressed(), plan);
        }, (input, failure) -> failure instanceof OutOfMemoryError
                ? new InputError(input.name(), null, "out of memory while linting it (" + failure.getMessage()
                        + "); give Java a larger heap (-Xmx) or lint it alone", false)
                : new InputError(input.name(), null, failure.toString(), true));
        List<Checked> files = new ArrayList<>();
        for (Object outcome : outcomes) {
            if (outcome instanceof Checked c) {
                files.add(c);
            } else {
                errors.add((InputError) outcome);
            }
        }
        RunResult run = new RunResult(files, errors);
        for (InputError e : errors) {
            err.println(e.format());
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
        String report = o.format().report().render(run, ran, VersionProvider.version());
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
        Severity threshold = o.failOn() == FailOn.never ? null : Severity.byId(o.failOn().name()).orElseThrow();
        return run.fails(threshold) ? ExitCode.FINDINGS : ExitCode.OK;
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
