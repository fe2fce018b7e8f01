package dev.virtlint.cli;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.InOrder;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.Baseline;
import dev.virtlint.report.Checked;
import dev.virtlint.report.GithubReport;
import dev.virtlint.report.JunitReport;
import dev.virtlint.report.SarifReport;
import dev.virtlint.rules.Rule;
import dev.virtlint.report.JsonReport;
import dev.virtlint.report.RunResult;
import dev.virtlint.report.TextReport;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code virtlint lint}: reads every input and reports what it found. */
@Command(name = "lint", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Lint domain XML files, QEMU .args files and drive strings.")
final class LintCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { text, json, sarif, github, junit }

    @Spec
    CommandSpec spec;

    @ParentCommand
    VirtLint parent;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or directories (walked for *.xml and *.args); - reads standard input.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--drive", paramLabel = "STRING",
            description = "Lint one QEMU -drive value, e.g. file=/vm.img,if=virtio,cache=unsafe (repeatable).")
    List<String> drives = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    /** Thresholds for the exit code. */
    enum FailOn { error, warning, info, never }

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "warning",
            description = "Exit 1 when a finding is at least this severe: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    FailOn failOn;

    @Mixin
    RuleOptions rules;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Files linted at once (default: the number of processors).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Report only findings that FILE (written by --write-baseline) does not list.")
    Path baseline;

    @Option(names = "--write-baseline", paramLabel = "FILE",
            description = "Record every current finding in FILE and exit 0.")
    Path writeBaseline;

    @Override
    public Integer call() throws IOException, YamlException {
        if (paths.isEmpty() && drives.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to lint: give a PATH, - for standard input, or --drive STRING");
        }
        List<Input> inputs = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        for (String path : paths) {
            if (path.equals("-")) {
                inputs.add(new Input("-", null, Input.Kind.SNIFF, readStdin()));
                continue;
            }
            Inputs.Expanded expanded = Inputs.expand(List.of(path));
            inputs.addAll(expanded.inputs());
            for (String missing : expanded.missing()) {
                errors.add(new InputError(missing, null, "no such file or directory", false));
            }
        }
        for (int i = 0; i < drives.size(); i++) {
            inputs.add(new Input("--drive[" + (i + 1) + "]", null, Input.Kind.DRIVE,
                    drives.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        Map<Input, Linter.Settings> settings = rules.settings(inputs, spec.commandLine());
        Baseline accepted = null;
        if (baseline != null) {
            try {
                accepted = Baseline.read(baseline);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "baseline " + baseline + " not found");
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        List<Checked> files = new ArrayList<>();
        List<Rule> ran = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Input input : inputs) {
            settings.get(input).enabledRules().stream().filter(r -> seen.add(r.info().id())).forEach(ran::add);
        }
        boolean evidence = format != Format.github;
        List<Object> outcomes = InOrder.map(inputs, jobs, input -> {
            Loader.Outcome outcome = Loader.load(input);
            if (outcome.file() == null) {
                return outcome.error();
            }
            Linter.Result result = Linter.run(outcome.file(), settings.get(input), evidence);
            return new Checked(outcome.file(), result.findings(), result.suppressed());
        });
        for (Object o : outcomes) {
            if (o instanceof Checked c) {
                files.add(c);
            } else {
                errors.add((InputError) o);
            }
        }
        RunResult run = new RunResult(files, errors);
        PrintWriter err = spec.commandLine().getErr();
        for (InputError e : errors) {
            err.println(e.format());
        }
        err.flush();
        if (writeBaseline != null) {
            int n = Baseline.write(run, writeBaseline);
            err.println("virtlint: wrote " + n + " finding" + (n == 1 ? "" : "s") + " to " + writeBaseline);
            err.flush();
            return errors.stream().anyMatch(InputError::internal) ? ExitCode.INTERNAL : ExitCode.OK;
        }
        if (accepted != null) {
            run = accepted.filter(run);
        }
        String report = switch (format) {
            case json -> JsonReport.render(run, VersionProvider.version());
            case sarif -> SarifReport.render(run, ran, VersionProvider.version());
            case github -> GithubReport.render(run);
            case junit -> JunitReport.render(run, ran);
            case text -> TextReport.render(run);
        };
        if (output != null) {
            Files.writeString(output, report, StandardCharsets.UTF_8);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(report);
            out.flush();
        }
        if (errors.stream().anyMatch(InputError::internal)) {
            return ExitCode.INTERNAL;
        }
        if (!errors.isEmpty()) {
            return ExitCode.INPUT;
        }
        Severity threshold = failOn == FailOn.never ? null : Severity.byId(failOn.name()).orElseThrow();
        return run.fails(threshold) ? ExitCode.FINDINGS : ExitCode.OK;
    }

    private byte[] readStdin() {
        try {
            return parent.stdin.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
