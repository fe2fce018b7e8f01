package dev.virtlint.cli;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Inputs;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.rewrite.Batch;
import dev.virtlint.rewrite.FileFix;
import dev.virtlint.rewrite.Fixer;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
import picocli.CommandLine.Spec;

/** {@code virtlint fix}: applies the recommended setting to every disk that has a fixable finding. */
@Command(name = "fix", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Rewrite domain XML and QEMU .args files in place to the recommended settings, changing only"
                + " the attributes and options concerned.",
            "With --diff, print a unified diff (git apply takes it) and write nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:nothing left to fix (with --diff: no change)",
            "1:findings at or above --fail-on remain, or a disk with a fix was left alone (with --diff: there is a"
                    + " change, or a disk with a fix was left alone)",
            "2:usage error, or a configuration, host profile or rule file that is wrong",
            "3:a file could not be read, parsed, fixed or written (it is left as it was)",
            "70:internal error"})
final class FixCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Files or directories (walked for *.xml, *.args and shell scripts that run QEMU).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--diff", description = "Print what would change as a unified diff; write nothing.")
    boolean diff;

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

    @Override
    public Integer call() throws IOException, YamlException {
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Batch.Item> items = new ArrayList<>();
        int missing = 0;
        for (String given : paths) {
            if (given.equals("-")) {
                throw new ParameterException(spec.commandLine(), "fix rewrites files; standard input cannot be fixed");
            }
            Inputs.Expanded expanded = Inputs.expand(List.of(given));
            Path path = expanded.inputs().isEmpty() ? null : Path.of(given);
            Path tree = path == null || Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
            expanded.inputs().forEach(input -> items.add(new Batch.Item(input, tree)));
            for (String m : expanded.missing()) {
                err.println(m + ": no such file or directory");
                missing++;
            }
            for (var e : expanded.errors()) {
                err.println(e.format());
                missing++;
            }
        }
        List<Input> inputs = items.stream().map(Batch.Item::input).toList();
        Map<Input, Linter.Settings> settings = rules.settings(inputs, spec.commandLine());
        Severity threshold = failOn == LintRun.FailOn.never ? null : Severity.byId(failOn.name()).orElseThrow();
        FileFix.Mode mode = new FileFix.Mode(!diff, threshold, force, limit.bytes);
        List<FileFix.Result> results = Batch.run(items, settings::get, mode, jobs, Path.of(""));

        PrintWriter report = diff ? err : out;
        for (FileFix.Result r : results) {
            if (diff) {
                out.print(r.diff());
                out.flush();
            }
            if (r.status() == FileFix.Status.CHANGED) {
                report.println((diff ? "would fix " : "fixed ") + r.name() + ": " + describe(r.fixed()));
            }
            r.notes().forEach(err::println);
        }
        Batch.Summary s = Batch.Summary.of(results);
        report.println(s.changed() + (diff ? " would change, " : " changed, ") + s.unchanged() + " unchanged, "
                + s.skipped() + " skipped, " + (s.failed() + missing) + " failed (" + s.disks()
                + (s.disks() == 1 ? " disk" : " disks") + (diff ? " to fix" : " fixed")
                + (s.refused() > 0 ? ", " + s.refused() + " left alone)" : ")"));
        out.flush();
        err.flush();
        if (results.stream().anyMatch(Batch::internal)) {
            return ExitCode.INTERNAL;
        }
        if (s.failed() + missing > 0) {
            return ExitCode.INPUT;
        }
        // A disk left alone (its note says why) is work left, like a finding without a fix: exit 1,
        // so that a CI check on fix --diff does not pass on a file fix could not settle.
        if (diff) {
            return s.changed() > 0 || s.refused() > 0 ? ExitCode.FINDINGS : ExitCode.OK;
        }
        return s.remaining() > 0 || (s.refused() > 0 && threshold != null) ? ExitCode.FINDINGS : ExitCode.OK;
    }

    private static String describe(List<FixPlan.DiskFix> fixed) {
        List<String> parts = new ArrayList<>();
        for (FixPlan.DiskFix d : fixed) {
            parts.add(d.target() + " " + d.description());
        }
        return String.join("; ", parts);
    }
}
