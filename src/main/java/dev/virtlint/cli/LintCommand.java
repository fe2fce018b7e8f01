package dev.virtlint.cli;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.report.JsonReport;
import dev.virtlint.report.RunResult;
import dev.virtlint.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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

    @Override
    public Integer call() throws IOException {
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
        List<ParsedFile> files = new ArrayList<>();
        for (Input input : inputs) {
            Loader.Outcome outcome = Loader.load(input);
            if (outcome.file() != null) {
                files.add(outcome.file());
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
        return errors.isEmpty() ? ExitCode.OK : ExitCode.INPUT;
    }

    private byte[] readStdin() {
        try {
            return parent.stdin.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
