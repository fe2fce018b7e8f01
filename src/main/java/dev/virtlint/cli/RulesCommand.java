package dev.virtlint.cli;

import dev.virtlint.config.Config;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.RuleIndex;
import java.nio.file.Path;
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

    @Option(names = "--config", paramLabel = "FILE",
            description = "Also list this configuration's custom rules (default: the nearest " + Config.FILE_NAME
                    + " from the working directory up). The markdown index is always the built-in catalogue.")
    Path config;

    @Override
    public Integer call() throws YamlException {
        if (format == Format.markdown) {
            spec.commandLine().getOut().print(RuleIndex.markdown());
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
        Config c = ConfigLookup.warningTo(config, spec.commandLine().getErr()).forInput(null);
        spec.commandLine().getOut().print(RuleIndex.text(c.rules()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
