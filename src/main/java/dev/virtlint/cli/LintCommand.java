package dev.virtlint.cli;

import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.Format;
import dev.virtlint.report.HelpUri;
import dev.virtlint.report.ReportSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code virtlint lint}: reads every input and reports what it found ({@link LintRun} does the work). */
@Command(name = "lint", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Lint domain XML files, QEMU .args files and drive strings.")
final class LintCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    VirtLint parent;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or directories (walked for *.xml, *.args and shell scripts that run QEMU); - reads"
                    + " standard input.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--drive", paramLabel = "STRING",
            description = "Lint one QEMU -drive value, e.g. file=/vm.img,if=virtio,cache=unsafe (repeatable).")
    List<String> drives = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; concise is one line"
                    + " per finding). text and concise are coloured on a terminal only (NO_COLOR, FORCE_COLOR).")
    Format format;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "warning",
            description = "Exit 1 when a finding is at least this severe: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    LintRun.FailOn failOn;

    @Mixin
    RuleOptions rules;

    @Mixin
    InputLimit limit;

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

    @Option(names = "--help-uri-base", paramLabel = "URL",
            description = "Where the rule pages are published: SARIF links each rule to URL followed by"
                    + " its id ({id} in URL stands for the id instead); without it, no link.")
    String helpUriBase;

    @Option(names = "--stdin-filename", paramLabel = "PATH",
            description = "The file standard input (-) stands for: its name in the report, and the configuration"
                    + " and per-path ignores that apply to it (for editors).")
    String stdinFilename;

    @Option(names = {"-q", "--quiet"}, description = "Print the findings only, no summary.")
    boolean quiet;

    @Option(names = "--statistics", description = "Print how many findings each rule has instead of the findings.")
    boolean statistics;

    @Option(names = "--show-source", description = "Print the offending line with a caret under each finding.")
    boolean showSource;

    @Option(names = {"-v", "--verbose"}, description = "Also list the files skipped (not a domain) and why.")
    boolean verbose;

    /** What the display options ask for. */
    ReportSettings.Display display() {
        return new ReportSettings.Display(quiet, statistics, showSource, verbose, helpUriBase);
    }

    @Override
    public Integer call() throws IOException, YamlException {
        String badBase = helpUriBase == null ? null : HelpUri.problem(helpUriBase);
        if (badBase != null) {
            throw new ParameterException(spec.commandLine(), badBase);
        }
        LintRun.Options options = new LintRun.Options(paths, drives, format, failOn, rules.select, rules.ignore,
                rules.config, rules.host, output, jobs, baseline, writeBaseline, limit.bytes,
                display(), stdinFilename);
        try {
            return LintRun.run(options, parent.stdin, spec.commandLine().getOut(), spec.commandLine().getErr(),
                    parent.terminal);
        } catch (UsageException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
