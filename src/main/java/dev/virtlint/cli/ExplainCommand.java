package dev.virtlint.cli;

import dev.virtlint.config.Config;
import dev.virtlint.parse.Suggestions;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.RuleIndex;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.DeclarativeRule;
import dev.virtlint.rules.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code virtlint explain RULE-ID}: a rule's page. */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print a rule's page: why it matters, examples, what the fix does, sources.")
final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RULE-ID", description = "A rule id, as `virtlint rules` lists them.")
    String id;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Also know this configuration's custom rules (default: the nearest " + Config.FILE_NAME
                    + " from the working directory up).")
    Path config;

    @Override
    public Integer call() throws IOException, YamlException {
        Config c = ConfigLookup.warningTo(config, spec.commandLine().getErr()).forInput(null);
        Rule rule = c.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() ->
                new ParameterException(spec.commandLine(), "unknown rule '" + id + "'"
                        + Suggestions.didYouMean(id, c.rules().stream().map(Rule::id).toList())
                        + " (virtlint rules lists them)"));
        String page;
        if (Catalogue.byId(id).isPresent()) {
            page = RuleIndex.page(id).orElseThrow(() -> new IllegalStateException("no page for rule " + id));
        } else {
            DeclarativeRule custom = (DeclarativeRule) rule;
            page = RuleIndex.customPage(custom, Files.readString(Path.of(custom.file())));
        }
        spec.commandLine().getOut().print(page);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
