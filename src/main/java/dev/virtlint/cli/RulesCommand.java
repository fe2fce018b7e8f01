package dev.virtlint.cli;

import dev.virtlint.report.RuleIndex;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code virtlint rules}: the catalogue. */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the rules: id, default severity, category, summary.")
final class RulesCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { text, markdown }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(format == Format.markdown ? RuleIndex.markdown() : RuleIndex.text());
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
