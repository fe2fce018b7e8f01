package dev.virtlint.cli;

import dev.virtlint.report.RuleIndex;
import dev.virtlint.rules.Catalogue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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

    @Override
    public Integer call() {
        if (Catalogue.byId(id).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "unknown rule '" + id + "'; `virtlint rules` lists them");
        }
        String page = RuleIndex.page(id).orElseThrow(() -> new IllegalStateException("no page for rule " + id));
        spec.commandLine().getOut().print(page);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
