package dev.virtlint.cli;

import dev.virtlint.config.Config;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.Checked;
import dev.virtlint.report.JsonReport;
import dev.virtlint.report.RunResult;
import dev.virtlint.report.TextReport;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
    enum Format { text, json }

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
        List<Checked> files = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            Loader.Outcome outcome = Loader.load(input);
            if (outcome.file() != null) {
                files.add(new Checked(outcome.file(), Linter.lint(outcome.file(), settings.get(input))));
            } else {
                errors.add(outcome.error());
            }
        }
        RunResult run = new RunResult(files, errors);
        PrintWriter err = spec.commandLine().getErr();
        for (InputError e : errors) {
            err.println(e.format());
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == Format.json ? JsonReport.render(run, VersionProvider.version()) : TextReport.render(run));
        out.flush();
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
